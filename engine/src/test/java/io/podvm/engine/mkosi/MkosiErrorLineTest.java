package io.podvm.engine.mkosi;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** mkosi's last '‣' line, as mkosi 24.3's die() prints it (an error, then perhaps a hint), with paths mapped. */
class MkosiErrorLineTest {
    private final List<String> logged = new ArrayList<>();
    private final MkosiErrorLine error = new MkosiErrorLine(logged::add, new MkosiVersion(24, 3))
            .mapPath(Path.of("/out/.podvm-stage-1/tree/mkosi.images"), "/home/me/tree/mkosi.presets")
            .mapPath(Path.of("/out/.podvm-stage-1/tree"), "/home/me/tree");

    @Test
    void theLastErrorLineWithTheUsersPathsAndEveryLineStillLogged() {
        error.accept("‣ Building system image");
        error.accept("\u001B[31;1m‣ /out/.podvm-stage-1/tree/mkosi.images/initrd/mkosi.conf: Unknown setting Foo\u001B[0m");

        assertThat(error.reason()).isEqualTo(" mkosi said: /home/me/tree/mkosi.presets/initrd/mkosi.conf: Unknown setting"
                + " Foo (this tree may need a newer mkosi than 24.3).");
        assertThat(logged).hasSize(2);
    }

    @Test
    void aHintInParenthesesComesWithTheErrorBeforeIt() {
        error.accept("‣ systemd-stub not found at /usr/lib/systemd/boot/efi/linuxx64.efi.stub");
        error.accept("‣ (Install systemd-boot-efi on the host)");

        assertThat(error.reason()).isEqualTo(" mkosi said: systemd-stub not found at /usr/lib/systemd/boot/efi/linuxx64.efi.stub"
                + " (Install systemd-boot-efi on the host).");
    }

    @Test
    void noErrorLineGivesNoReason() {
        error.accept("Traceback (most recent call last):");

        assertThat(error.reason()).isEmpty();
    }
}
