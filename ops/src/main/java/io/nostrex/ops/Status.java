package io.nostrex.ops;

/** The answer of one health check: up or down, with a short detail for the operator. */
public record Status(boolean up, String detail) {
    public static Status up(String detail) {
        return new Status(true, detail);
    }

    public static Status down(String detail) {
        return new Status(false, detail);
    }

    /** {@code up} when the condition holds, else down with {@code whyNot}. */
    public static Status when(boolean condition, String detail, String whyNot) {
        return condition ? up(detail) : down(whyNot);
    }
}
