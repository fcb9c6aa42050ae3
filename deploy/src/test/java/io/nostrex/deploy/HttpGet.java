package io.nostrex.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One GET and its answer; status 0 when no answer came (refused, reset, no answer within 10 s). */
record HttpGet(String url, int status, String contentType, String body) {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    static HttpGet of(String url) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new HttpGet(url, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            return new HttpGet(url, 0, "", e.toString());
        }
    }

    @Override
    public String toString() {
        return url + " -> " + (status == 0 ? body : status + " " + contentType);
    }
}
