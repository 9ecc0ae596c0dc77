package dev.tally.security;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the request being served, set by {@link CallerFilter} before any resource runs. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("No caller: the request did not pass through CallerFilter");
        }
        return caller;
    }
}
