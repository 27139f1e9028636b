package io.podvm.engine.mkosi;

import io.podvm.engine.PodvmException;
import io.podvm.engine.tools.PackageManagers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The checks of a user's tree against the mkosi and the host that will build it, all before any long work. */
final class TreeChecks {
    private TreeChecks() {
    }

    /** Checks settings, profiles and (when the request names it) the distribution; returns the profiles to select. */
    static List<String> check(ImageRequest request, Path tree, MkosiSettings mkosi) {
        if (tree != null) {
            try {
                UnknownSettings.check(tree, mkosi, tree + "/");
            } catch (IOException e) {
                throw new PodvmException("Could not read the tree " + tree + ": " + e.getMessage() + ".", e);
            }
        }
        if (request.distribution() != null) {
            PackageManagers.require(request.distribution(), "distribution");
        }
        return ProfileChoice.choose(request, tree, mkosi.version());
    }

    /** The distribution the tree itself chose, from mkosi's summary, needs its package manager too. */
    static void requirePackageManager(String distribution) {
        if (distribution != null) {
            PackageManagers.require(distribution, "dir");
        }
    }
}
