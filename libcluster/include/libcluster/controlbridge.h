// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The far end of an ssh:// control link: relays a byte stream to this user's control endpoint.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QObject>
#include <QString>

namespace LibCluster {

class ControlBridgePrivate;

/*!
 * \brief Relays the control protocol between two file descriptors (by default stdin and stdout)
 * and the control endpoint of this user named `name`: what `cluster-run ctl NAME bridge` runs at
 * the far end of a ControlClient's `ssh://` link.
 *
 * It passes bytes and adds one thing: the endpoint's token, which it reads as the user who runs
 * it, into the client's hello (the first line). Everything else (who may log in, encryption,
 * host keys) is the ssh server's. It ends when either side closes.
 */
class LIBCLUSTER_EXPORT ControlBridge : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(ControlBridge)

public:
    //! \brief Creates a bridge; start() begins the relay.
    explicit ControlBridge(QObject *parent = nullptr);
    //! \brief Stops relaying and closes the connection to the endpoint.
    ~ControlBridge() override;

    /*!
     * \brief Connects to the endpoint `name` and relays between it and `inputFd` / `outputFd`.
     *
     * False, with errorString(), when there is no such endpoint or its token cannot be read;
     * then nothing is relayed.
     */
    bool start(const QString &name, int inputFd = 0, int outputFd = 1);
    //! What went wrong, in words, once start() has failed or finished() reported a failure.
    QString errorString() const;

Q_SIGNALS:
    /*!
     * \brief The relay has ended: `exitCode` 0 when the client or the primary closed the
     * connection, 1 on an error (errorString()).
     */
    void finished(int exitCode);

private:
    QScopedPointer<ControlBridgePrivate> d_ptr;
};

} // namespace LibCluster
