package io.podvm.engine.tools;

import io.podvm.engine.InvalidRequestException;

import java.util.Locale;

/** mkosi and the container builders run only on Linux; a Jenkins agent may be anything. */
public final class Platform {
    private Platform() {
    }

    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /** Fails at once, before any tool is looked for, on a machine that cannot do {@code capability}. */
    public static void requireLinux(String capability) {
        if (!isLinux()) {
            throw new InvalidRequestException("podvm " + capability + " runs only on Linux; this machine runs "
                    + System.getProperty("os.name") + ". Run it on a Linux agent with the tools that 'podvm doctor'"
                    + " lists.");
        }
    }
}
