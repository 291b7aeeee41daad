// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The worker program tst_stdio forks. Each argument names one of its extra pipes:
//   N       through Worker::extraPipe(N): writes "hello N\n", then answers every chunk it reads
//           with the same bytes in upper case
//   raw:N   descriptor N as it is, without the API: writes "raw N\n" with write(2)
// It exits with 3 when an argument's pipe is missing, or when extraPipe() gives one for a
// descriptor no argument names (99).
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QLocalSocket>

#include <cstdio>
#include <unistd.h>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Worker *self = Cluster::worker();
    if (!self) {
        std::fprintf(stderr, "pipeworker: not started by a primary\n");
        return 3;
    }
    if (self->extraPipe(99)) {
        std::fprintf(stderr, "pipeworker: a pipe at 99 that nobody asked for\n");
        return 3;
    }
    const QStringList arguments = app.arguments().mid(1);
    for (const QString &argument : arguments) {
        if (argument.startsWith(QLatin1String("raw:"))) {
            const QByteArray text = "raw " + argument.mid(4).toLatin1() + '\n';
            if (::write(argument.mid(4).toInt(), text.constData(), size_t(text.size()))
                != text.size()) {
                std::perror("pipeworker: write");
                return 3;
            }
            continue;
        }
        QLocalSocket *pipe = self->extraPipe(argument.toInt());
        if (!pipe) {
            std::fprintf(stderr, "pipeworker: no pipe at %s\n", qPrintable(argument));
            return 3;
        }
        pipe->write("hello " + argument.toLatin1() + '\n');
        QObject::connect(pipe, &QLocalSocket::readyRead, pipe,
            [pipe] { pipe->write(pipe->readAll().toUpper()); });
    }
    return app.exec();
}
