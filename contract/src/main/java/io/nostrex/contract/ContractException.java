package io.nostrex.contract;

/** A record on a topic that does not follow the contract; logged and skipped by its reader. */
public final class ContractException extends Exception {
    private static final long serialVersionUID = 1L;

    public ContractException(String message) {
        super(message);
    }
}
