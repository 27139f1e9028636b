package io.podvm.engine.binaries;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reasons read from the last lines skopeo 1.9 and podman 4.3 print (copied from runs against the
 * distribution registry), and from what Docker Hub and quay.io answer.
 */
class PullFailureTest {
    private static PullFailure.Reason of(String... lines) {
        return PullFailure.Reason.of(List.of(lines));
    }

    @Test
    void readsTheRegistrysWordsNotNumbersInPortsOrDigests() {
        assertThat(of("time=\"2026-12-01T08:25:40Z\" level=fatal msg=\"initializing source docker://127.0.0.1:40155/podvm/missing:1: reading manifest 1 in 127.0.0.1:40155/podvm/missing: manifest unknown: manifest unknown\""))
                .isEqualTo(PullFailure.Reason.NOT_FOUND);
        assertThat(of("Trying to pull 127.0.0.1:40155/podvm/base:1...",
                "Error: initializing source docker://127.0.0.1:40155/podvm/base:1: reading manifest 1 in 127.0.0.1:40155/podvm/base: unauthorized: authentication required"))
                .isEqualTo(PullFailure.Reason.UNAUTHORIZED);
        assertThat(of("Error: initializing source docker://127.0.0.1:40154/podvm/base:1: pinging container registry 127.0.0.1:40154: Get \"http://127.0.0.1:40154/v2/\": dial tcp 127.0.0.1:40154: connect: connection refused"))
                .isEqualTo(PullFailure.Reason.UNREACHABLE);
        assertThat(of("time=\"2026-12-01T08:25:40Z\" level=fatal msg=\"initializing source docker://no-such-host.invalid/podvm/base:1: pinging container registry no-such-host.invalid: Get \\\"https://no-such-host.invalid/v2/\\\": dial tcp: lookup no-such-host.invalid on 10.255.255.53:53: no such host\""))
                .isEqualTo(PullFailure.Reason.UNREACHABLE);
        assertThat(of("Error: initializing source docker://127.0.0.1:40155/podvm/base:1: pinging container registry 127.0.0.1:40155: Get \"https://127.0.0.1:40155/v2/\": http: server gave HTTP response to HTTPS client"))
                .isEqualTo(PullFailure.Reason.TLS);
        assertThat(of("Error: initializing source docker://docker.io/library/nosuch:1: reading manifest 1 in docker.io/library/nosuch: requested access to the resource is denied"))
                .isEqualTo(PullFailure.Reason.DENIED);
        assertThat(of("Error: initializing source docker://quay.io/p/x:1: unable to retrieve auth token: invalid username/password: unauthorized: access to the requested resource is not authorized"))
                .isEqualTo(PullFailure.Reason.UNAUTHORIZED);
        assertThat(of("Error: copying system image from manifest list: writing blob: 401 bytes short at offset 40155"))
                .isEqualTo(PullFailure.Reason.OTHER);
    }
}
