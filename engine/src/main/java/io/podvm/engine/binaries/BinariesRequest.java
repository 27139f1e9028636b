package io.podvm.engine.binaries;

import io.podvm.engine.Blank;
import io.podvm.engine.InvalidRequestException;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code podvm binaries} and the {@code podvmBinaries} step ask for: validated on construction, immutable
 * and serializable so that it can cross a Jenkins agent channel. Paths are strings (Path is not serializable),
 * resolved on the machine that builds. The registry password is not part of it: it is handed to
 * {@link BinariesTreeMaker#make(BinariesRequest, String)} separately, so that a request can be logged or kept.
 */
public final class BinariesRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_OUTPUT = "resources/binaries-tree";
    public static final Set<String> ISOLATIONS = Set.of("chroot", "oci", "rootless");
    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern USER = Pattern.compile("[^\\s:]+");

    private final Mode mode;
    private final String dockerfile;
    private final String context;
    private final LinkedHashMap<String, String> buildArgs;
    private final BuilderKind builder;
    private final String isolation;
    private final ImageReference image;
    private final String registryUser;
    private final boolean insecureRegistry;
    private final PullerKind puller;
    private final String output;
    private final List<String> overlays;

    private BinariesRequest(Builder b) {
        this.mode = b.mode;
        this.dockerfile = b.dockerfile;
        this.context = b.context;
        this.buildArgs = new LinkedHashMap<>(b.buildArgs);
        this.builder = b.builder;
        this.isolation = b.isolation;
        this.image = b.imageReference;
        this.registryUser = b.registryUser;
        this.insecureRegistry = b.insecureRegistry;
        this.puller = b.puller;
        this.output = b.output;
        this.overlays = List.copyOf(b.overlays);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Mode mode() {
        return mode;
    }

    /** The Dockerfile (build mode), or null for {@code Dockerfile} in the context directory. */
    public Path dockerfile() {
        return dockerfile == null ? null : Path.of(dockerfile);
    }

    /** The build context directory (build mode only). */
    public Path context() {
        return context == null ? null : Path.of(context);
    }

    /** Build arguments in the order given. */
    public Map<String, String> buildArgs() {
        return Collections.unmodifiableMap(buildArgs);
    }

    /** The builder asked for, or null for the first that works here (docker, podman, buildah). */
    public BuilderKind containerBuilder() {
        return builder;
    }

    /** How podman and buildah run RUN steps; chroot needs no container runtime (the default). */
    public String isolation() {
        return isolation;
    }

    /** The image to take the tree from (pull mode only). */
    public ImageReference image() {
        return image;
    }

    /** The registry user, or null for an anonymous pull. */
    public String registryUser() {
        return registryUser;
    }

    /** Whether the registry is reached over plain HTTP or with an unverified certificate. */
    public boolean insecureRegistry() {
        return insecureRegistry;
    }

    /** The puller asked for, or null for the first found (skopeo, podman). */
    public PullerKind puller() {
        return puller;
    }

    public Path output() {
        return Path.of(output);
    }

    /** Directories copied on top of the tree, in order. */
    public List<Path> overlays() {
        return overlays.stream().map(Path::of).toList();
    }

    /** Collects the options; {@link #build()} checks them together, so that each error names its field. */
    public static final class Builder {
        private String modeText;
        private Mode mode;
        private String dockerfile;
        private String context;
        private final List<String> buildArgTexts = new ArrayList<>();
        private final LinkedHashMap<String, String> buildArgs = new LinkedHashMap<>();
        private String builderText;
        private BuilderKind builder;
        private String isolation = "chroot";
        private String image;
        private ImageReference imageReference;
        private String registryUser;
        private boolean insecureRegistry;
        private String pullerText;
        private PullerKind puller;
        private String output = DEFAULT_OUTPUT;
        private final List<String> overlays = new ArrayList<>();

        private Builder() {
        }

        /** build or pull. */
        public Builder mode(String value) {
            this.modeText = Blank.refuse("mode", value, "give build or pull");
            return this;
        }

        public Builder dockerfile(String value) {
            this.dockerfile = Blank.refuse("dockerfile", value, "give the binaries Dockerfile, or leave it out (Dockerfile in the context)");
            return this;
        }

        public Builder context(String value) {
            this.context = Blank.refuse("context", value, "give the build context directory");
            return this;
        }

        /** One KEY=VALUE build argument; repeatable, a later KEY wins. */
        public Builder buildArg(String keyEqualsValue) {
            if (keyEqualsValue != null) {
                buildArgTexts.add(Blank.refuse("buildArg", keyEqualsValue, "give KEY=VALUE, such as TEE_PLATFORM=snp"));
            }
            return this;
        }

        public Builder buildArgs(List<String> keyEqualsValues) {
            if (keyEqualsValues != null) {
                keyEqualsValues.forEach(this::buildArg);
            }
            return this;
        }

        public Builder buildArgs(Map<String, String> values) {
            if (values != null) {
                values.forEach((k, v) -> buildArg(k + "=" + (v == null ? "" : v)));
            }
            return this;
        }

        /** docker, podman or buildah; blank for the first that works here. */
        public Builder builder(String value) {
            this.builderText = Blank.refuse("builder", value, "give docker, podman or buildah, or leave it out");
            return this;
        }

        /** chroot (default), oci or rootless: how podman and buildah run RUN steps. */
        public Builder isolation(String value) {
            this.isolation = value == null ? "chroot" : Blank.refuse("isolation", value, "give chroot, oci or rootless, or leave it out (chroot)");
            return this;
        }

        public Builder image(String value) {
            this.image = Blank.refuse("image", value, "give a podvm-binaries image");
            return this;
        }

        public Builder registryUser(String value) {
            this.registryUser = Blank.refuse("registryUser", value, "give the user, or leave it out for an anonymous pull");
            return this;
        }

        public Builder insecureRegistry(boolean value) {
            this.insecureRegistry = value;
            return this;
        }

        /** skopeo or podman; blank for the first found. */
        public Builder puller(String value) {
            this.pullerText = Blank.refuse("puller", value, "give skopeo or podman, or leave it out");
            return this;
        }

        public Builder output(String value) {
            this.output = value == null ? DEFAULT_OUTPUT : Blank.refuse("output", value, "give a directory, or leave it out ("
                    + DEFAULT_OUTPUT + ")");
            return this;
        }

        public Builder overlay(String dir) {
            if (dir != null) {
                overlays.add(Blank.refuse("overlay", dir, "give a directory of extra files"));
            }
            return this;
        }

        public Builder overlays(List<String> dirs) {
            if (dirs != null) {
                dirs.forEach(this::overlay);
            }
            return this;
        }

        public BinariesRequest build() {
            if (modeText == null) {
                throw new InvalidRequestException("mode: no mode was given; allowed: build (run the binaries"
                        + " Dockerfile here) or pull (take the tree from a published podvm-binaries image).");
            }
            mode = Mode.parse(modeText, "mode");
            if (mode == Mode.BUILD) {
                checkBuild();
            } else {
                checkPull();
            }
            return new BinariesRequest(this);
        }

        private void checkBuild() {
            if (context == null) {
                throw new InvalidRequestException("context: build mode needs the build context directory (the"
                        + " directory the Dockerfile's COPY instructions read from), and none was given.");
            }
            rejectIn("build", "image", ImageReference.withoutCredentials(image));
            rejectIn("build", "registryUser", registryUser);
            rejectIn("build", "puller", pullerText);
            for (String text : buildArgTexts) {
                int eq = text.indexOf('=');
                String name = eq < 0 ? text : text.substring(0, eq);
                if (eq < 0 || !ARG_NAME.matcher(name).matches()) {
                    throw InvalidRequestException.of("buildArg", text, "a build argument is KEY=VALUE with KEY made"
                            + " of letters, digits and '_', for example TEE_PLATFORM=snp");
                }
                buildArgs.put(name, text.substring(eq + 1));
            }
            builder = builderText == null ? null : BuilderKind.parse(builderText, "builder");
            if (!ISOLATIONS.contains(isolation)) {
                throw InvalidRequestException.of("isolation", isolation, "allowed: chroot (no container runtime"
                        + " needed), oci, rootless");
            }
        }

        private void checkPull() {
            imageReference = ImageReference.parse(image, "image");
            rejectIn("pull", "dockerfile", dockerfile);
            rejectIn("pull", "context", context);
            rejectIn("pull", "buildArg", buildArgTexts.isEmpty() ? null : buildArgTexts.get(0));
            rejectIn("pull", "builder", builderText);
            if (registryUser != null && !USER.matcher(registryUser).matches()) {
                throw InvalidRequestException.of("registryUser", registryUser, "a registry user has no spaces"
                        + " and no ':'");
            }
            puller = pullerText == null ? null : PullerKind.parse(pullerText, "puller");
        }

        /** An option of the other mode is a mistake worth naming, not something to ignore silently. */
        private static void rejectIn(String mode, String field, String value) {
            if (value != null) {
                throw new InvalidRequestException(field + ": '" + value + "' was given, but " + field
                        + " is not used in " + mode + " mode; drop it or change the mode.");
            }
        }
    }
}
