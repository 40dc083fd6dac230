"""Builds a /v1s request exactly as the Finqware docs' Python example does (compact JSON, Base64 SHA-256 digest,
the documented claims, RS256 with the service-account key), with google.auth's JWT encoding done by hand and the
RSA signature made by openssl. Prints the body on the first line and the JWS on the second."""
import base64
import hashlib
import json
import subprocess
import sys
import tempfile
import time


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate_jwt(sa_keyfile, payload):
    now = int(time.time())
    # a compact stringified json without any whitespaces
    json_payload = json.dumps(payload, separators=(',', ':')).encode("utf-8")
    digest = hashlib.sha256(json_payload).digest()
    b64_digest = base64.b64encode(digest).decode("utf-8")
    with open(sa_keyfile) as f:
        sa = json.load(f)
    sa_email = sa["client_email"]
    expiry_length = 3600
    claims = {
        'iat': now,
        "exp": now + expiry_length,
        'iss': sa_email,
        'aud': 'api.finqware.com',
        'sub': sa_email,
        'email': sa_email,
        'digest': b64_digest
    }
    # what google.auth.jwt.encode(signer, payload) does with an RSASigner from the key file
    header = {"typ": "JWT", "alg": "RS256", "kid": sa["private_key_id"]}
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8")) + "." + \
        b64url(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as key:
        key.write(sa["private_key"])
        key.flush()
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key.name], input=signing_input.encode("ascii"),
                                   capture_output=True, check=True).stdout
    return json_payload.decode("utf-8"), signing_input + "." + b64url(signature)


if __name__ == "__main__":
    body, jwt = generate_jwt(sys.argv[1], json.loads(sys.argv[2]))
    print(body)
    print(jwt)
