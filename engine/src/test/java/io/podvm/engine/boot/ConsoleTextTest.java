package io.podvm.engine.boot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading systemd's and bash's console output, with lines as a real boot of the debug image printed them. */
class ConsoleTextTest {
    private static final String BOOT = "[\u001B[0;1;31mFAILED\u001B[0m] Failed to start \u001B[0;1;39msystemd-pc…e\u001B[0m"
            + " - TPM2 PCR Barrier (initrd).\r\n"
            + "[\u001B[0;32m  OK  \u001B[0m] Reached target \u001B[0;1;39mmulti-user.target\u001B[0m - Multi-User System.\r\n"
            + "\r\nlocalhost login: root (automatic login)\r\n\r\n"
            + "Last login: Tue Dec  1 09:05:05 UTC 2026 on tty1\r\n"
            + "\u001B[?2004hroot@localhost:~# ";

    @Test
    void theAutologinShellIsFoundBehindTheBracketedPasteSequence() {
        String text = ConsoleText.printable(BOOT);
        var login = ConsoleText.LOGIN.matcher(text);
        assertThat(login.find()).isTrue();
        assertThat(ConsoleText.SHELL.matcher(login.group()).matches()).isTrue();
    }

    /** As the boot of a verity image with a flipped root byte printed it. */
    @Test
    void dmVeritysCorruptionLineIsFound() {
        assertThat(ConsoleText.verityCorruption("[   11.729672] device-mapper: verity: sha256 using implementation"
                + " \"sha256-generic\"\r\n[   11.832452] device-mapper: verity: 253:2: data block 2 is corrupted\r\n"))
                .contains("device-mapper: verity: 253:2: data block 2 is corrupted");
        assertThat(ConsoleText.verityCorruption(BOOT)).isEmpty();
    }

    @Test
    void aPlainLoginPromptIsNotAShell() {
        var login = ConsoleText.LOGIN.matcher(ConsoleText.printable("Debian GNU/Linux 12 localhost ttyS0\r\n\r\n"
                + "localhost login: "));
        assertThat(login.find()).isTrue();
        assertThat(ConsoleText.SHELL.matcher(login.group()).matches()).isFalse();
        assertThat(ConsoleText.LOGIN.matcher("localhost login: root (automatic login)\n").find()).isFalse();
    }

    @Test
    void failedUnitsAndTheDefaultTargetAreReadThroughTheColours() {
        assertThat(ConsoleText.failedOnConsole(BOOT)).containsExactly("systemd-pc…e - TPM2 PCR Barrier (initrd)");
        assertThat(ConsoleText.reachedDefaultTarget(BOOT)).isTrue();
        assertThat(ConsoleText.reachedDefaultTarget("Reached target basic.target - Basic System.")).isFalse();
    }

    @Test
    void aCommandsOutputIsWhatLiesBetweenItsMarkerLinesNotTheEchoOfTheCommand() {
        String console = "root@localhost:~# echo \"@@PODVM-$((1*7))-BEGIN\"; uname; echo \"@@PODVM-$((1*7))-END\"\r\n"
                + "\u001B[?2004l\r@@PODVM-7-BEGIN\r\nLinux\r\n@@PODVM-7-END\r\n\u001B[?2004hroot@localhost:~# ";
        assertThat(ConsoleText.between(ConsoleText.printable(console), "@@PODVM-7-BEGIN", "@@PODVM-7-END"))
                .isEqualTo("Linux\n");
    }

    @Test
    void withEchoOffTheBeginMarkerFollowsThePromptOnItsLine() {
        String console = "root@localhost:~# @@PODVM-14-BEGIN\r\ndegraded\r\n@@PODVM-14-END\r\nroot@localhost:~# ";
        assertThat(ConsoleText.between(console, "@@PODVM-14-BEGIN", "@@PODVM-14-END")).isEqualTo("degraded\n");
    }

    /** As a UKI whose command line names a missing root printed it: systemd cut the line inside a colour. */
    @Test
    void aDeviceTimeoutIsReadThroughAColourSequenceCutByTheEllipsis() {
        String text = ConsoleText.printable("\u001BM\r\u001B[K[\u001B[0;1;31m TIME \u001B[0m] Timed out waiting for device"
                + " \u001B[0;1;\u2026a0ccc-96d5-4557-a59a-4c68b2a00f85.\r\r\n[DEPEND] Dependency failed for"
                + " sysroot.mount - /sysroot.\r\n");
        assertThat(ConsoleText.deviceTimeout(text))
                .contains("Timed out waiting for device \u2026a0ccc-96d5-4557-a59a-4c68b2a00f85");
        assertThat(ConsoleText.deviceTimeout("[  OK  ] Found device dev-vda2.device\n")).isEmpty();
    }
}
