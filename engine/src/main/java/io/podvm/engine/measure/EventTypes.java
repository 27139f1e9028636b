package io.podvm.engine.measure;

import java.util.Map;

/** Names of the event types (TCG PC Client Platform Firmware Profile, table 9) that appear in an OVMF boot. */
final class EventTypes {
    static final long EV_SEPARATOR = 0x04;
    static final long EV_EFI_BOOT_SERVICES_APPLICATION = 0x80000003L;
    static final long EV_EFI_ACTION = 0x80000007L;
    static final long EV_IPL = 0x0D;

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(0x00L, "EV_PREBOOT_CERT"), Map.entry(0x01L, "EV_POST_CODE"), Map.entry(0x03L, "EV_NO_ACTION"),
            Map.entry(0x04L, "EV_SEPARATOR"), Map.entry(0x05L, "EV_ACTION"), Map.entry(0x06L, "EV_EVENT_TAG"),
            Map.entry(0x07L, "EV_S_CRTM_CONTENTS"), Map.entry(0x08L, "EV_S_CRTM_VERSION"),
            Map.entry(0x0AL, "EV_PLATFORM_CONFIG_FLAGS"), Map.entry(0x0DL, "EV_IPL"),
            Map.entry(0x12L, "EV_NONHOST_INFO"), Map.entry(0x80000001L, "EV_EFI_VARIABLE_DRIVER_CONFIG"),
            Map.entry(0x80000002L, "EV_EFI_VARIABLE_BOOT"), Map.entry(0x80000003L, "EV_EFI_BOOT_SERVICES_APPLICATION"),
            Map.entry(0x80000004L, "EV_EFI_BOOT_SERVICES_DRIVER"), Map.entry(0x80000006L, "EV_EFI_GPT_EVENT"),
            Map.entry(0x80000007L, "EV_EFI_ACTION"), Map.entry(0x80000008L, "EV_EFI_PLATFORM_FIRMWARE_BLOB"),
            Map.entry(0x8000000AL, "EV_EFI_PLATFORM_FIRMWARE_BLOB2"), Map.entry(0x8000000BL, "EV_EFI_HANDOFF_TABLES2"),
            Map.entry(0x800000E0L, "EV_EFI_VARIABLE_AUTHORITY"), Map.entry(0x80000009L, "EV_EFI_HANDOFF_TABLES"));

    private EventTypes() {
    }

    static String name(long type) {
        return NAMES.getOrDefault(type, "0x" + Long.toHexString(type));
    }
}
