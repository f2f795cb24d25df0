// The header compiles as C++ (extern "C" guards, no C-only constructs) and links: built by scripts/ci/c-abi.sh
// with g++ -std=c++11 -Wall -Wextra -Werror.
#include "nvx.h"

#include <cstdio>
#include <cstring>

int main() {
    nvx_utf8vld_state state;
    if (nvx_utf8vld_init(&state) != NVX_STATUS_OK) {
        return 1;
    }
    const char text[] = "caf\xc3\xa9";
    nvx_utf8_status st;
    nvx_status rc = nvx_utf8vld_validate_status(&state, reinterpret_cast<const uint8_t*>(text), std::strlen(text), &st);
    const uint8_t key[4] = {1, 2, 3, 4};
    uint8_t buf[3] = {0, 0, 0};
    size_t phase = nvx_mask(buf, sizeof buf, key, 0);
    bool ok = rc == NVX_STATUS_OK && st.valid && st.total_index == 5 && phase == 3 && buf[2] == 3;
    std::printf("C++: nvx %s (%s): %s\n", nvx_version(), nvx_implementation_name(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
