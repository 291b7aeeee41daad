// Turns SIGINT/SIGTERM into a Qt signal: a self-pipe written by the handler, read by a notifier.
#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace Monitor {

// The handler only write()s the signal number to a pipe (async-signal-safe); everything else
// happens in the event loop when the pipe becomes readable. One watcher per process.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~SignalWatcher() override;

    bool isValid() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void signalReceived(int signalNumber);

private:
    void readPipe();

    QList<int> m_signals;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Monitor
