// One enrolled agent's stored configuration, for the tests of its JSON (test_unattended) and of
// its file (tests/linux/test_posix_agent_config_file.cpp).
#pragma once

#include "core/stored_agent_config.h"

namespace guru::unattended::testing {

inline StoredAgentConfig sampleConfig() {
    StoredAgentConfig c;
    c.server = "wss://guru.example:8443/api/agent/ws";
    c.agentId = "00112233445566778899aabbccddeeff";
    c.credential = "cred-1";
    c.metadata.company = "Glaztech";
    c.metadata.properties = {{"Asset", "A-17"}};
    return c;
}

}  // namespace guru::unattended::testing
