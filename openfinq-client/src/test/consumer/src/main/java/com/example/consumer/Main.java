package com.example.consumer;

import org.openfinq.client.OpenfinqClient;
import org.openfinq.client.OpenfinqException;
import org.openfinq.client.model.Account;
import org.openfinq.client.model.Credentials;
import org.openfinq.client.model.Session;
import org.openfinq.client.model.Step;
import org.openfinq.client.model.Transaction;

import java.util.List;
import java.util.Map;

/** Connects the sandbox bank's alice for one end-user and prints her accounts and booked transactions. */
public final class Main {

    private static final String SKILL = "sandbox_ro_aisp_sbx_#1.0";

    record Line(String date, String amount, String currency) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Main <base url> <client_id> <client_secret> <client_app_key>");
            System.exit(2);
        }
        OpenfinqClient api = OpenfinqClient.builder(args[0], args[1]).clientSecret(args[2]).clientAppKey(args[3]).build();
        try {
            Session session = api.createSession("consumer-1", SKILL);
            Step done = api.submitStep(session.sessionId(), session.nonce(), SKILL, "sca_implicit", Map.of("psu_id", "alice"));
            Credentials credentials = api.exchangeToken(done.tempToken());
            long deadline = System.currentTimeMillis() + 60_000;
            while (!"ready".equals(api.getConsent(credentials).result().sync().state())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the first sync did not finish in 60 s");
                }
                Thread.sleep(300);
            }
            List<Account> accounts = api.accounts(credentials, "consumer-1");
            List<Transaction> booked = api.transactions(credentials, "consumer-1", Map.of("status", "booked"));
            System.out.println("java " + System.getProperty("java.specification.version"));
            System.out.println("accounts " + accounts.size());
            System.out.println("transactions " + booked.size());
            for (Transaction t : booked) {
                var line = new Line(t.data().bookingDateTime(), t.data().amount().toPlainString(), t.data().currency());
                System.out.println(line.date() + " " + line.amount() + " " + line.currency());
            }
        } catch (OpenfinqException e) {
            System.err.println("openfinq refused: " + e.getMessage());
            System.exit(1);
        }
    }
}
