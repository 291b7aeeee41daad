// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// bench-socketpair COUNT BYTES: the ceiling for bench-ipc on this machine. The same echo (parent ->
// child -> parent, window 1000, frames of a 6-byte header and BYTES of payload) over a bare Unix
// socketpair, with no event loop, no CBOR and no objects: the parent batches every frame the
// window allows into one write, the child echoes whatever it reads.
// Prints one JSON line: {"peer":"socketpair","count":..,"size":..,"seconds":..,"msgs_per_s":..}
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr long long Window = 1000;
constexpr int HeaderSize = 6;

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "bench-socketpair: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

[[noreturn]] void echo(int fd)
{
    std::vector<char> buffer(256 * 1024);
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n == 0)
            ::_exit(0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            ::_exit(1);
        }
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(fd, buffer.data() + done, size_t(n - done));
            if (w < 0 && errno != EINTR)
                ::_exit(1);
            if (w > 0)
                done += w;
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    const long long count = argc > 1 && std::atoll(argv[1]) > 0 ? std::atoll(argv[1]) : 100000;
    const long long size = argc > 2 && std::atoll(argv[2]) >= 0 ? std::atoll(argv[2]) : 64;
    const long long frameSize = HeaderSize + size;

    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
        fail("socketpair");
    const pid_t child = ::fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        ::close(fds[0]);
        echo(fds[1]);
    }
    ::close(fds[1]);
    const int fd = fds[0];
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

    // One frame, made up front as ipc.js makes its payload once; copied into the batch per send.
    std::vector<char> frame(size_t(frameSize), 'x');
    frame[0] = char(size >> 24);
    frame[1] = char(size >> 16);
    frame[2] = char(size >> 8);
    frame[3] = char(size);
    frame[4] = 1;
    frame[5] = 0;

    std::vector<char> out;
    size_t outPos = 0;
    std::vector<char> in(256 * 1024);
    long long inFrameBytes = 0; // bytes of the frame being received so far
    long long sent = 0;
    long long got = 0;

    const auto start = std::chrono::steady_clock::now();
    while (got < count) {
        // Keep the window full: frames join the batch as soon as echoes free room, not only once
        // the whole previous batch is written, so the socket never waits on the parent.
        if (outPos == out.size()) {
            out.clear();
            outPos = 0;
        } else if (outPos >= out.size() / 2) {
            out.erase(out.begin(), out.begin() + std::ptrdiff_t(outPos));
            outPos = 0;
        }
        for (; sent < count && sent - got < Window; ++sent)
            out.insert(out.end(), frame.begin(), frame.end());
        pollfd pfd { fd, short(POLLIN | (outPos < out.size() ? POLLOUT : 0)), 0 };
        if (::poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            fail("poll");
        }
        if ((pfd.revents & POLLOUT) && outPos < out.size()) {
            const ssize_t w = ::write(fd, out.data() + outPos, out.size() - outPos);
            if (w < 0 && errno != EAGAIN && errno != EINTR)
                fail("write");
            if (w > 0)
                outPos += size_t(w);
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::read(fd, in.data(), in.size());
            if (n == 0) {
                std::fprintf(stderr, "bench-socketpair: the child closed early\n");
                return 1;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                fail("read");
            if (n > 0) {
                // Every byte comes back in order: count the frames it completes.
                inFrameBytes += n;
                got += inFrameBytes / frameSize;
                inFrameBytes %= frameSize;
            }
        }
    }
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::close(fd);
    ::waitpid(child, nullptr, 0);
    std::printf("{\"peer\":\"socketpair\",\"count\":%lld,\"size\":%lld,\"seconds\":%.6f,"
                "\"msgs_per_s\":%lld}\n",
        count, size, seconds, (long long)(double(count) / seconds + 0.5));
    return 0;
}
