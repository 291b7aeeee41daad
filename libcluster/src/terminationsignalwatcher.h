// Turns SIGTERM and SIGINT into a Qt signal, through a self-pipe: nothing but write(2) runs in
// the signal handler.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace LibCluster::Internal {

class TerminationSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit TerminationSignalWatcher(QObject *parent = nullptr);
    ~TerminationSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace LibCluster::Internal
