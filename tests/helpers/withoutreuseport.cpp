// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// withoutreuseport COMMAND [ARGUMENT...]: runs COMMAND (and everything it starts) as on a system
// without SO_REUSEPORT. A seccomp filter makes the kernel answer setsockopt(SOL_SOCKET,
// SO_REUSEPORT) with ENOPROTOOPT, as kernels without the option do; everything else is untouched.
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "withoutreuseport: add this architecture's AUDIT_ARCH value"
#endif

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: withoutreuseport COMMAND [ARGUMENT...]\n");
        return 2;
    }
    // The low 32 bits of a system call argument (little-endian).
    constexpr auto argument = [](int index) {
        return __u32(offsetof(seccomp_data, args) + sizeof(__u64) * size_t(index));
    };
    sock_filter program[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setsockopt, 0, 5),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, argument(1)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOL_SOCKET, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, argument(2)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SO_REUSEPORT, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOPROTOOPT & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog filter { static_cast<unsigned short>(sizeof(program) / sizeof(program[0])),
        program };
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
        || ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) != 0) {
        std::fprintf(
            stderr, "withoutreuseport: cannot install the filter: %s\n", std::strerror(errno));
        return 125;
    }
    ::execvp(argv[1], argv + 1);
    std::fprintf(stderr, "withoutreuseport: cannot run %s: %s\n", argv[1], std::strerror(errno));
    return 127;
}
