package com.flashsale.coupon.local;

/**
 * {@code bin/run-local}'s checks alone, run by the script before it builds: the arguments, the
 * settings, the data directories and the ports, with the classes of the last build. A launcher
 * that could only say "port in use" says it within a second, instead of after a build. Exits 0
 * when {@link LocalStack} may start; the locks it took end with it.
 */
public final class Preflight {

    private Preflight() {
    }

    public static void main(String[] args) {
        try {
            LocalStack.plan(args, System.getenv());
        } catch (LocalStack.Refused refused) {
            refused.exit();
        }
    }
}
