// An event dispatcher for Linux built on epoll, so that one wake-up costs O(ready descriptors)
// instead of O(connections): Qt 6.4's Unix dispatcher rebuilds and poll()s the whole set of
// socket notifiers on every wake-up (~2.9 ms with 10 000 connections, docs/PERFORMANCE.md).
// Linux only: CMake compiles it only there, and callers guard with #ifdef Q_OS_LINUX.
//
// Semantics follow QEventDispatcherUNIX: level-triggered notifiers (Read/Write/Exception, a read
// and a write notifier on one descriptor), timers with Qt's Precise/Coarse/VeryCoarse rules
// (a timer is never re-entered while its event is being delivered), posted events through the
// public QCoreApplication::sendPostedEvents(), wakeUp()/interrupt() from any thread (eventfd).
#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <array>
#include <deque>
#include <map>
#include <memory>
#include <poll.h>
#include <sys/epoll.h>
#include <unordered_map>
#include <vector>

namespace chalk::server {

class EpollEventDispatcher final : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False if the kernel refused epoll or eventfd; then use Qt's dispatcher instead.
    bool isValid() const { return m_epollFd >= 0 && m_eventFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    // The notifiers of one descriptor and what the kernel was last told about it.
    struct FdEntry {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr}; // Read, Write, Exception
        bool pending[3] = {false, false, false}; // queued for activation in m_pending
        quint32 kernelEvents = 0;                // events registered with epoll_ctl
        bool inKernel = false;
        bool dirty = false;      // listed in m_dirty: epoll_ctl before the next wait
        bool writeCheck = false; // write notifier on, EPOLLOUT not registered: poll() it instead
        quint64 checkedPass = 0; // m_writeCheck pass that last looked at it (duplicates)
        bool alwaysReady =
            false; // epoll refused it (a regular file): reported ready, as poll() does
    };
    struct Pending {
        int fd;
        int type;
    };
    struct Timer {
        int id;
        qint64 interval;          // ms; whole seconds for the very coarse kind
        qint64 requestedInterval; // ms, as registered (registeredTimers() reports it)
        Qt::TimerType requestedType;
        Qt::TimerType type; // as scheduled: a short coarse timer is precise, a long one very coarse
        QObject *object;
        qint64 timeoutNs = 0;        // CLOCK_MONOTONIC
        quint64 seq = 0;             // orders timers with the same timeout by registration
        quint64 pass = 0;            // last activation pass that fired it
        Timer **activeRef = nullptr; // set while its event is being delivered (no recursion)
    };
    using TimerKey = std::pair<qint64, quint64>;
    static constexpr qint64 kMs = 1'000'000; // in ns
    static constexpr qint64 kSecond = 1'000'000'000;

    static qint64 nowNs();
    FdEntry &entry(int fd);
    quint32 wantedEvents(const FdEntry &e) const;
    void markDirty(int fd, FdEntry &e);
    void removeFromKernel(int fd, FdEntry &e);
    void applyChanges();
    void setKernelEvents(int fd, FdEntry &e, quint32 events);
    int checkWritable();
    void markPending(int fd, FdEntry &e, quint32 revents);
    int activateSocketNotifiers();
    void drainWakeUps();

    void schedule(Timer &t, qint64 now, bool first);
    void insertTimer(Timer &t);
    void eraseTimer(Timer &t);
    int waitTimeoutMs(qint64 now) const; // -1 = no timer
    int activateTimers();

    int m_epollFd = -1;
    int m_eventFd = -1;
    QAtomicInt m_wakeUps; // 1 while a wake-up is written and not yet read
    QAtomicInt m_interrupt;

    std::vector<FdEntry> m_fds; // indexed by descriptor
    std::vector<int> m_dirty;
    std::vector<int> m_alwaysReady;
    std::vector<int> m_writeCheck; // fds with writeCheck set (maybe stale: check the flag)
    std::vector<int> m_writeCheckNext;
    std::vector<pollfd> m_pollFds;
    quint64 m_checkPass = 0;
    std::deque<Pending> m_pending; // shared with nested loops, as in Qt's dispatcher
    std::array<epoll_event, 1024> m_events;

    std::unordered_map<int, std::unique_ptr<Timer>> m_timers;
    std::unordered_multimap<QObject *, Timer *> m_timersByObject;
    std::map<TimerKey, Timer *> m_queue; // by timeout
    quint64 m_nextSeq = 0;
    quint64 m_nextPass = 0;
};

// Installs an EpollEventDispatcher for the main thread; call before QCoreApplication exists.
// False (Qt's dispatcher stays) if the kernel refused epoll or eventfd.
bool installEpollEventDispatcher();

} // namespace chalk::server
