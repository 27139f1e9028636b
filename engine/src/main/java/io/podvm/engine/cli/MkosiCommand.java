package io.podvm.engine.cli;

import io.podvm.engine.Blank;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;
import io.podvm.engine.mkosi.ImageBuilder;
import io.podvm.engine.mkosi.ImageRequest;
import io.podvm.engine.mkosi.SshKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code podvm mkosi}: builds a podvm image; the {@code podvmMkosi} step takes the same options. */
@Command(name = "mkosi", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Builds a podvm disk image with mkosi, from your mkosi tree or the bundled podvm definition.")
final class MkosiCommand implements Callable<Integer> {
    static final String PASSPHRASE_VARIABLE = "PODVM_SSH_KEY_PASSPHRASE";

    @Option(names = "--dir", paramLabel = "DIR", description = "Your mkosi tree (default: the bundled podvm definition).")
    String dir;

    @Option(names = "--variant", paramLabel = "production|debug", defaultValue = "production",
            description = "production (default) or debug (SSH for root, autologin, debugging tools).")
    String variant;

    @Option(names = "--root", paramLabel = "ext4|verity", defaultValue = "ext4", description = "The bundled"
            + " definition's root file system: ext4 (default), or verity (read-only erofs under dm-verity, the root"
            + " hash in the UKI's command line; /var a tmpfs; debian only).")
    String root;

    @Option(names = "--distribution", paramLabel = "NAME",
            description = "debian (default) or fedora for the bundled definition; any mkosi distribution for your tree.")
    String distribution;

    @Option(names = "--profile", paramLabel = "NAME", description = "An mkosi profile of your tree to select"
            + " (repeatable; mkosi.profiles/NAME or NAME.conf). --variant selects the profile of its name when the tree has one.")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--release", paramLabel = "NAME", description = "The release (bundled: bookworm for debian).")
    String release;

    @Option(names = "--authorized-keys", paramLabel = "FILE", description = "Public keys for root (debug only).")
    Path authorizedKeys;

    @Option(names = "--ssh-private-key", paramLabel = "FILE", description = "A private key whose public key goes"
            + " to root (debug only); its passphrase comes from $" + PASSPHRASE_VARIABLE + ".")
    Path sshPrivateKey;

    @Option(names = "--binaries-tree", paramLabel = "DIR", description = "The podvm binaries to copy into the"
            + " image (default: resources/binaries-tree of the tree).")
    String binariesTree;

    @Option(names = "--extra-package", paramLabel = "NAME", description = "An extra package (repeatable).")
    List<String> extraPackages = new ArrayList<>();

    @Option(names = "--qcow2", description = "Also write a qcow2 copy for libvirt.")
    boolean qcow2;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "build", description = "Where the image goes (default: build).")
    String outputDir;

    @Option(names = "--mkosi", paramLabel = "PATH", defaultValue = "mkosi", description = "The mkosi to run (default: mkosi on PATH).")
    String mkosi;

    @Option(names = "--package-cache", paramLabel = "DIR", description = "Package cache kept between builds"
            + " (default: ~/.cache/podvm/mkosi-packages).")
    String packageCache;

    @Option(names = "--incremental", description = "Reuse the installed tree of the last build of the same"
            + " definition and package set (mkosi's Incremental=yes, cached in the package cache directory).")
    boolean incremental;

    @Option(names = "--source-date-epoch", paramLabel = "SECONDS", description = "The time every file in the image"
            + " is clamped to (mkosi SourceDateEpoch=; default: the tree's last git commit, the bundled definition's"
            + " recorded time, else now; printed in the result).")
    String sourceDateEpoch;

    @Option(names = "--seed", paramLabel = "UUID", description = "The seed of the partition and file system UUIDs"
            + " (mkosi Seed=; default: derived from the image's name; printed in the result).")
    String seed;

    @Option(names = "--check-reproducible", description = "Build twice, each in a fresh stage with the same package"
            + " cache, and compare the images; on a difference, name where they differ (diffoscope).")
    boolean checkReproducible;

    @Option(names = "--json", description = "Print the result as one JSON line, last on stdout.")
    boolean json;

    @Option(names = "--stage-only", paramLabel = "DIR", description = "Only stage and translate the tree into"
            + " DIR (which must not exist) and print the mkosi command that builds it there.")
    String stageOnly;

    @Override
    public Integer call() {
        ImageRequest.Builder request = ImageRequest.builder().dir(dir).variant(variant).distribution(distribution)
                .release(release).binariesTree(binariesTree).extraPackages(extraPackages).qcow2(qcow2)
                .outputDir(outputDir).mkosi(mkosi).packageCache(packageCache).incremental(incremental)
                .profiles(profiles, "--profile").root(root)
                .sourceDateEpoch(sourceDateEpoch).seed(seed).checkReproducible(checkReproducible);
        // picocli turns '' into the path of the working directory; an empty option is a mistake to name.
        Blank.refuse("--authorized-keys", authorizedKeys == null ? null : authorizedKeys.toString(), "give a file");
        Blank.refuse("--ssh-private-key", sshPrivateKey == null ? null : sshPrivateKey.toString(), "give a file");
        Blank.refuse("--stage-only", stageOnly, "give a directory that does not exist");
        if (authorizedKeys != null) {
            request.authorizedKeys(SshKeys.readKeyFile(authorizedKeys, "--authorized-keys"), "--authorized-keys");
        }
        if (sshPrivateKey != null) {
            request.sshPrivateKey(SshKeys.readKeyFile(sshPrivateKey, "--ssh-private-key"),
                    System.getenv(PASSPHRASE_VARIABLE), "--ssh-private-key");
        }
        ImageRequest built = request.build();
        SecretMasker masker = CliConsole.masker();
        masker.add(System.getenv(PASSPHRASE_VARIABLE));
        BuildLog log = new BuildLog(System.err, masker);
        if (sshPrivateKey != null) {
            SshKeys.exposureWarning(sshPrivateKey, "--ssh-private-key").ifPresent(log::warn);
        }
        ImageBuilder builder = new ImageBuilder(log, Path.of("").toAbsolutePath());
        if (stageOnly != null) {
            System.out.println(String.join(" ", builder.stageOnly(built, Path.of(stageOnly))));
            return 0;
        }
        CliOutput.print(json, builder.build(built).toMap());
        return 0;
    }
}
