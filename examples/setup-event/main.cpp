// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster 'setup' event of the Node cluster docs (which gives no code): every
// setupPrimary() call is followed by a 'setup' event carrying the settings as they were then.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

using namespace LibCluster;

static QString describe(const Settings &settings)
{
    return QStringLiteral("exec %1, args [%2], silent %3")
        .arg(QFileInfo(settings.exec()).fileName(), settings.args().join(QLatin1Char(' ')),
            settings.silent() ? QStringLiteral("true") : QStringLiteral("false"));
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();

    int setups = 0;
    QObject::connect(cluster, &Cluster::setupApplied, [cluster, &setups](const Settings &settings) {
        QTextStream(stdout) << "setup: " << describe(settings) << Qt::endl;
        // Not in the Node docs: end after the two calls below. No worker is ever forked.
        if (++setups == 2) {
            // The settings the next fork would use, defaults filled in.
            QTextStream(stdout) << "settings: " << describe(cluster->settings()) << Qt::endl;
            QCoreApplication::quit();
        }
    });

    // The calls of the setupMaster() example: settings are cumulative, so silent stays true.
    Settings https;
    https.setArgs({ QStringLiteral("--use"), QStringLiteral("https") });
    https.setSilent(true);
    cluster->setupPrimary(https);
    Settings http;
    http.setArgs({ QStringLiteral("--use"), QStringLiteral("http") });
    cluster->setupPrimary(http);
    return app.exec();
}
