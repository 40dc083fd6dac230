package org.openfinq.server.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets a controller method take a {@link JsonBody} parameter: the request's body, parsed. */
public class JsonBodyArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == JsonBody.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest webRequest,
                                  WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        byte[] raw = request == null ? null : (byte[]) request.getAttribute(RequestBodyFilter.RAW_BODY_ATTRIBUTE);
        Object parsed = request == null ? null : request.getAttribute(RequestBodyFilter.PARSED_BODY_ATTRIBUTE);
        return JsonBody.parse(raw, parsed instanceof tools.jackson.databind.JsonNode node ? node : null);
    }
}
