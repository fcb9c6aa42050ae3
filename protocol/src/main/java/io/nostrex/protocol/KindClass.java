package io.nostrex.protocol;

/** How a relay stores an event of a kind (NIP-01). */
public enum KindClass {
    /** Stored, every version kept. */
    REGULAR,
    /** 0, 3 and 10000-19999: only the latest per (pubkey, kind) is kept. */
    REPLACEABLE,
    /** 20000-29999: delivered live, never stored. */
    EPHEMERAL,
    /** 30000-39999: only the latest per (pubkey, kind, d tag) is kept. */
    ADDRESSABLE;

    public static final int MAX_KIND = 65535;

    public static KindClass of(int kind) {
        if (kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000)) {
            return REPLACEABLE;
        }
        if (kind >= 20000 && kind < 30000) {
            return EPHEMERAL;
        }
        if (kind >= 30000 && kind < 40000) {
            return ADDRESSABLE;
        }
        return REGULAR;
    }

    public boolean stored() {
        return this != EPHEMERAL;
    }
}
