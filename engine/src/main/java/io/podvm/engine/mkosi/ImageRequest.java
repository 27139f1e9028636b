package io.podvm.engine.mkosi;

import io.podvm.engine.Blank;
import io.podvm.engine.InvalidRequestException;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code podvm mkosi} and the {@code podvmMkosi} step ask for: validated on construction, immutable
 * and serializable so that it can cross a Jenkins agent channel. Paths are kept as strings (Path is not
 * serializable) and are resolved on the machine that builds. An SSH private key never enters a request:
 * the builder derives its public key at once.
 */
public final class ImageRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Distributions mkosi itself knows, for users' own trees. */
    public static final Set<String> MKOSI_DISTRIBUTIONS = Set.of("debian", "ubuntu", "fedora", "centos", "rhel",
            "rhel-ubi", "alma", "rocky", "opensuse", "mageia", "openmandriva", "arch", "azure", "custom");
    private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** mkosi looks a profile up as mkosi.profiles/NAME or NAME.conf: a plain file name. */
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String dir;
    private final Variant variant;
    private final String distribution;
    private final String release;
    private final String authorizedKeys;
    private final String binariesTree;
    private final List<String> extraPackages;
    private final boolean qcow2;
    private final String outputDir;
    private final String mkosi;
    private final String packageCache;
    private final boolean incremental;
    private final List<String> profiles;
    private final Long sourceDateEpoch;
    private final String seed;
    private final boolean checkReproducible;
    private final RootFileSystem root;

    private ImageRequest(Builder b) {
        this.dir = b.dir;
        this.variant = b.variant;
        this.distribution = b.distribution;
        this.release = b.release;
        this.authorizedKeys = b.authorizedKeys.isEmpty() ? null : String.join("", b.authorizedKeys);
        this.binariesTree = b.binariesTree;
        this.extraPackages = List.copyOf(b.extraPackages);
        this.qcow2 = b.qcow2;
        this.outputDir = b.outputDir;
        this.mkosi = b.mkosi;
        this.packageCache = b.packageCache;
        this.incremental = b.incremental;
        this.profiles = List.copyOf(b.profiles);
        this.sourceDateEpoch = b.sourceDateEpoch;
        this.seed = b.seed;
        this.checkReproducible = b.checkReproducible;
        this.root = b.root;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The user's mkosi tree, or null for the bundled podvm definition. */
    public Path dir() {
        return dir == null ? null : Path.of(dir);
    }

    public boolean bundled() {
        return dir == null;
    }

    public Variant variant() {
        return variant;
    }

    /** The distribution to build, or null to leave it to the user's tree. */
    public String distribution() {
        return distribution;
    }

    /** The release to build, or null to leave it to the tree. */
    public String release() {
        return release;
    }

    /** authorized_keys text for root in debug images, or null. */
    public String authorizedKeys() {
        return authorizedKeys;
    }

    public Path binariesTree() {
        return binariesTree == null ? null : Path.of(binariesTree);
    }

    public List<String> extraPackages() {
        return extraPackages;
    }

    public boolean qcow2() {
        return qcow2;
    }

    public Path outputDir() {
        return Path.of(outputDir);
    }

    public String mkosi() {
        return mkosi;
    }

    public Path packageCache() {
        return packageCache == null ? null : Path.of(packageCache);
    }

    /** mkosi's incremental mode: reuse the installed tree while the package set and definition are unchanged. */
    public boolean incremental() {
        return incremental;
    }

    /** mkosi profiles to select (mkosi --profile), in order; the variant may add one of its name. */
    public List<String> profiles() {
        return profiles;
    }

    /** mkosi's SourceDateEpoch= in seconds, or null for the default ({@link ReproducibleInputs}). */
    public Long sourceDateEpoch() {
        return sourceDateEpoch;
    }

    /** The UUID systemd-repart's UUIDs are derived from, or null for one derived from the image's name. */
    public String seed() {
        return seed;
    }

    /** Build twice in fresh stages and compare the images. */
    public boolean checkReproducible() {
        return checkReproducible;
    }

    /** The bundled definition's root file system: ext4, or erofs under dm-verity. */
    public RootFileSystem root() {
        return root;
    }

    /** Collects the options; {@link #build()} checks them together, so that each error names its field. */
    public static final class Builder {
        private String dir;
        private Variant variant = Variant.PRODUCTION;
        private String distribution;
        private String release;
        private final List<String> authorizedKeys = new ArrayList<>();
        private String binariesTree;
        private final List<String> extraPackages = new ArrayList<>();
        private boolean qcow2;
        private String outputDir = "build";
        private String mkosi = "mkosi";
        private String packageCache;
        private boolean incremental;
        private final List<String> profiles = new ArrayList<>();
        private Long sourceDateEpoch;
        private String seed;
        private boolean checkReproducible;
        private RootFileSystem root = RootFileSystem.EXT4;

        private Builder() {
        }

        public Builder dir(String value) {
            this.dir = Blank.refuse("dir", value, "give your mkosi tree, or leave it out for the bundled podvm definition");
            return this;
        }

        public Builder variant(String value) {
            this.variant = Blank.refuse("variant", value, "give production or debug, or leave it out (production)") == null
                    ? Variant.PRODUCTION : Variant.parse(value, "variant");
            return this;
        }

        public Builder distribution(String value) {
            this.distribution = Blank.refuse("distribution", value, "give a distribution such as debian, or leave it out");
            return this;
        }

        public Builder release(String value) {
            this.release = Blank.refuse("release", value, "give a release such as bookworm, or leave it out");
            return this;
        }

        /** authorized_keys lines; each is checked to be a public key. */
        public Builder authorizedKeys(String text, String field) {
            if (text != null) {
                authorizedKeys.add(SshKeys.checkAuthorizedKeys(Blank.refuse(field, text,
                        "give authorized_keys lines such as 'ssh-ed25519 AAAA... user@host'"), field));
            }
            return this;
        }

        /** Derives the public key at once; the private key is not kept. */
        public Builder sshPrivateKey(String privateKey, String passphrase, String field) {
            if (privateKey != null) {
                authorizedKeys.add(SshKeys.publicKeyOf(Blank.refuse(field, privateKey,
                        "give an OpenSSH, PEM or PKCS#8 private key"), passphrase, field) + "\n");
            }
            return this;
        }

        public Builder binariesTree(String value) {
            this.binariesTree = Blank.refuse("binariesTree", value, "give a directory, or leave it out");
            return this;
        }

        public Builder extraPackages(List<String> names) {
            if (names != null) {
                names.stream().map(n -> Blank.refuse("extraPackages", n, "give a package name such as jq")).map(String::trim)
                        .forEach(extraPackages::add);
            }
            return this;
        }

        public Builder qcow2(boolean value) {
            this.qcow2 = value;
            return this;
        }

        public Builder outputDir(String value) {
            this.outputDir = value == null ? "build" : Blank.refuse("outputDir", value, "give a directory, or leave it out (build)");
            return this;
        }

        public Builder mkosi(String value) {
            this.mkosi = value == null ? "mkosi" : Blank.refuse("mkosi", value, "give a program name or path, or leave it out (mkosi on PATH)");
            return this;
        }

        public Builder packageCache(String value) {
            this.packageCache = Blank.refuse("packageCache", value, "give a directory, or leave it out");
            return this;
        }

        public Builder incremental(boolean value) {
            this.incremental = value;
            return this;
        }

        /** Profile names, checked one by one; {@code field} is how the user gave them (--profile, profiles). */
        public Builder profiles(List<String> names, String field) {
            if (names != null) {
                for (String name : names) {
                    String trimmed = Blank.refuse(field, name == null ? "" : name, "give the name of one of the tree's profiles").trim();
                    if (!PROFILE.matcher(trimmed).matches()) {
                        throw InvalidRequestException.of(field, trimmed, "a profile is the name of a file or directory"
                                + " in the tree's mkosi.profiles/: letters, digits, '.', '_' and '-'");
                    }
                    if (!profiles.contains(trimmed)) {
                        profiles.add(trimmed);
                    }
                }
            }
            return this;
        }

        /** Seconds since 1970 as text (a CLI option, a step parameter); blank for the default. */
        public Builder sourceDateEpoch(String value) {
            this.sourceDateEpoch = value == null || value.isBlank() ? null : ReproducibleRequest.epoch(value.trim());
            return this;
        }

        public Builder seed(String value) {
            this.seed = value == null || value.isBlank() ? null : ReproducibleRequest.seed(value.trim());
            return this;
        }

        public Builder checkReproducible(boolean value) {
            this.checkReproducible = value;
            return this;
        }

        public Builder root(String value) {
            this.root = Blank.refuse("root", value, "give ext4 or verity, or leave it out (ext4)") == null
                    ? RootFileSystem.EXT4 : RootFileSystem.parse(value.trim(), "root");
            return this;
        }

        public ImageRequest build() {
            Flavour flavour = checkDistribution();
            if (dir == null) {
                checkBundledRelease(flavour);
            } else if (release != null && !RELEASE.matcher(release).matches()) {
                throw InvalidRequestException.of("release", release, "a release is a name such as 'bookworm' or '43'");
            }
            if (!authorizedKeys.isEmpty() && variant != Variant.DEBUG) {
                throw new InvalidRequestException("variant: SSH keys were given for a '" + variant.id()
                        + "' image, but SSH exists only in debug images; use variant 'debug' or drop the keys.");
            }
            for (String name : extraPackages) {
                checkPackageName(flavour, name);
            }
            if (dir == null && !profiles.isEmpty()) {
                throw new InvalidRequestException("profiles: the bundled podvm definition has no mkosi profiles (its"
                        + " variant is chosen with 'variant'); give profiles only with your own tree (dir).");
            }
            checkRoot(flavour);
            return new ImageRequest(this);
        }

        /** The verity layout is part of the bundled definition, and tried on its debian flavour only. */
        private void checkRoot(Flavour flavour) {
            if (root != RootFileSystem.VERITY) {
                return;
            }
            if (dir != null) {
                throw InvalidRequestException.of("root", root.id(), "only the bundled podvm definition has a verity"
                        + " root; allowed with your own tree (dir): ext4 (the default, which leaves the partitions to"
                        + " your tree's mkosi.repart/, where Verity=data and Verity=hash make a verity root)");
            }
            if (flavour != Flavour.DEBIAN) {
                throw InvalidRequestException.of("root", root.id(), "the bundled " + flavour.id() + " definition"
                        + " builds an ext4 root only; verity is built with distribution debian");
            }
        }

        /** The bundled definition always builds a flavour it knows; a user's tree may name any of mkosi's. */
        private Flavour checkDistribution() {
            if (dir == null) {
                Flavour flavour = distribution == null ? Flavour.DEBIAN : Flavour.parse(distribution, "distribution");
                distribution = flavour.id();
                return flavour;
            }
            if (distribution != null && !MKOSI_DISTRIBUTIONS.contains(distribution)) {
                throw InvalidRequestException.of("distribution", distribution,
                        "allowed: " + String.join(", ", MKOSI_DISTRIBUTIONS.stream().sorted().toList()));
            }
            return distribution == null ? null : findFlavour(distribution);
        }

        private void checkBundledRelease(Flavour flavour) {
            if (release == null) {
                release = flavour.defaultRelease();
            } else if (!flavour.releases().contains(release)) {
                throw InvalidRequestException.of("release", release, "the bundled " + flavour.id()
                        + " definition builds " + String.join(", ", flavour.releases()));
            }
        }

        private static void checkPackageName(Flavour flavour, String name) {
            boolean ok = flavour == null ? Flavour.FEDORA.isPackageName(name) : flavour.isPackageName(name);
            if (!ok) {
                throw InvalidRequestException.of("extraPackages", name, "a package name has letters, digits and"
                        + " '+', '.', '-'" + (flavour == Flavour.DEBIAN ? " (Debian names are lower case)" : ""));
            }
        }

        private static Flavour findFlavour(String distribution) {
            for (Flavour f : Flavour.values()) {
                if (f.id().equals(distribution)) {
                    return f;
                }
            }
            return null;
        }
    }
}
