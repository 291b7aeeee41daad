// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Channel against a peer that writes raw frames with sendmsg(), as a broken or hostile worker
// could, and in a process that has run out of descriptors.
#include "channel/channel.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace LibCluster::Internal;

namespace {

int openDescriptorCount()
{
    // QDir keeps the directory open while it lists it: that one is not counted.
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System).size())
        - 1;
}

int devNull()
{
    return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

// One frame as the peer writes it: a header declaring `declared` descriptors, a CBOR null as the
// payload, and `attached` sent alongside.
bool sendFrame(
    int fd, int declared, const QList<int> &attached, quint8 kind = quint8(FrameKind::Message))
{
    QByteArray bytes;
    appendFrameHeader(bytes, FrameKind::Message, 1, declared);
    bytes[4] = char(kind);
    bytes.append(char(0xf6));
    iovec iov { bytes.data(), size_t(bytes.size()) };
    msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char ancillary[CMSG_SPACE(sizeof(int) * 16)];
    if (!attached.isEmpty()) {
        const size_t size = sizeof(int) * size_t(attached.size());
        msg.msg_control = ancillary;
        msg.msg_controllen = CMSG_SPACE(size);
        cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(size);
        std::memcpy(CMSG_DATA(cmsg), attached.constData(), size);
    }
    return ::sendmsg(fd, &msg, MSG_NOSIGNAL) == bytes.size();
}

// Takes every free descriptor below a lowered soft limit, so that the next one anyone opens,
// or receives, fails with EMFILE; gives everything back when it goes.
class DescriptorsExhausted
{
public:
    DescriptorsExhausted()
    {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        int highest = 0;
        for (int fd = 0; fd < 4096; ++fd)
            if (::fcntl(fd, F_GETFD) != -1)
                highest = fd;
        rlimit lowered = m_saved;
        lowered.rlim_cur = rlim_t(highest + 16);
        ::setrlimit(RLIMIT_NOFILE, &lowered);
        for (;;) {
            const int fd = devNull();
            if (fd < 0)
                break;
            m_fillers.append(fd);
        }
    }
    ~DescriptorsExhausted()
    {
        for (int fd : std::as_const(m_fillers))
            ::close(fd);
        ::setrlimit(RLIMIT_NOFILE, &m_saved);
    }
    bool isExhausted() const { return devNullFails(); }

private:
    static bool devNullFails()
    {
        const int fd = devNull();
        if (fd >= 0) {
            ::close(fd);
            return false;
        }
        return errno == EMFILE;
    }
    rlimit m_saved {};
    QList<int> m_fillers;
};

} // namespace

class tst_Channel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void descriptorsOnAFrameThatDeclaresNoneAreClosed();
    void extraDescriptorsAreClosed();
    void descriptorThatCouldNotBeReceived();
    void protocolErrorReleasesEveryDescriptor();

private:
    // The channel under test reads m_ours; the test writes raw frames on m_peer.
    int m_peer = -1;
    Channel *m_channel = nullptr;
    QList<Frame> m_frames;
    QStringList m_closed;
};

void tst_Channel::init()
{
    int pair[2];
    QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
    m_peer = pair[1];
    m_channel = new Channel(pair[0]);
    m_frames.clear();
    m_closed.clear();
    m_channel->setFrameHandler([this](Frame &&frame) {
        frame.payload.detach();
        m_frames.append(std::move(frame));
    });
    m_channel->setClosedHandler([this](const QString &error) { m_closed.append(error); });
}

void tst_Channel::cleanup()
{
    for (const Frame &frame : std::as_const(m_frames))
        for (int fd : frame.descriptors)
            if (fd >= 0)
                ::close(fd);
    m_frames.clear();
    delete m_channel;
    m_channel = nullptr;
    ::close(m_peer);
}

void tst_Channel::descriptorsOnAFrameThatDeclaresNoneAreClosed()
{
    const int before = openDescriptorCount();
    const int a = devNull();
    const int b = devNull();
    QVERIFY(sendFrame(m_peer, 0, { a, b }));
    ::close(a);
    ::close(b);
    QTRY_COMPARE(m_frames.size(), 1);
    QVERIFY(m_frames.first().descriptors.isEmpty());
    // Not held until a later frame claims them (it would get the wrong ones), nor until the
    // channel goes: closed once the frame they came with was read.
    QCOMPARE(openDescriptorCount(), before);

    // A later frame that declares one gets its own.
    const int c = devNull();
    QVERIFY(sendFrame(m_peer, 1, { c }));
    QTRY_COMPARE(m_frames.size(), 2);
    QCOMPARE(m_frames.at(1).descriptors.size(), 1);
    struct stat sent, received;
    QVERIFY(::fstat(c, &sent) == 0 && ::fstat(m_frames.at(1).descriptors.first(), &received) == 0);
    QCOMPARE(received.st_ino, sent.st_ino);
    ::close(c);
    QVERIFY(m_closed.isEmpty());
}

void tst_Channel::extraDescriptorsAreClosed()
{
    const int before = openDescriptorCount();
    const QList<int> sent { devNull(), devNull(), devNull() };
    QVERIFY(sendFrame(m_peer, 1, sent));
    for (int fd : sent)
        ::close(fd);
    QTRY_COMPARE(m_frames.size(), 1);
    QCOMPARE(m_frames.first().descriptors.size(), 1);
    QCOMPARE(openDescriptorCount(), before + 1); // the frame's one, which the test holds
    QVERIFY(m_closed.isEmpty());
}

void tst_Channel::descriptorThatCouldNotBeReceived()
{
    {
        DescriptorsExhausted exhausted;
        QVERIFY(exhausted.isExhausted());
        // Nothing left to open: the peer sends a descriptor this process already has.
        QVERIFY(sendFrame(m_peer, 1, { m_peer }));
        QTRY_COMPARE(m_frames.size(), 1);
        // The frame arrives, saying that its descriptor did not: the stream is intact.
        QCOMPARE(m_frames.first().descriptors, QList<int>({ -1 }));
        QVERIFY(m_closed.isEmpty());
        QVERIFY(m_channel->isOpen());
    }
    // With descriptors back, the next frame gets its own as usual.
    const int fd = devNull();
    QVERIFY(sendFrame(m_peer, 1, { fd }));
    ::close(fd);
    QTRY_COMPARE(m_frames.size(), 2);
    QCOMPARE(m_frames.at(1).descriptors.size(), 1);
    QVERIFY(m_frames.at(1).descriptors.first() >= 0);
    QVERIFY(m_closed.isEmpty());
}

void tst_Channel::protocolErrorReleasesEveryDescriptor()
{
    const int before = openDescriptorCount();
    // A frame of a kind that does not exist, with descriptors attached: the channel closes for
    // the protocol error and gives them back at once, not when the object holding it goes.
    const QList<int> sent { devNull(), devNull(), devNull() };
    QVERIFY(sendFrame(m_peer, 3, sent, 0x7f));
    for (int fd : sent)
        ::close(fd);
    QTRY_COMPARE(m_closed.size(), 1);
    QVERIFY2(m_closed.first().contains(QLatin1String("unknown frame kind")),
        qPrintable(m_closed.first()));
    QVERIFY(m_frames.isEmpty());
    QVERIFY(!m_channel->isOpen());
    // The channel object is still there; of what it held, nothing is left open, its own socket
    // included.
    QCOMPARE(openDescriptorCount(), before - 1);
}

QTEST_GUILESS_MAIN(tst_Channel)
#include "tst_channel.moc"
