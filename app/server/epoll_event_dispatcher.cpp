// EpollEventDispatcher (epoll_event_dispatcher.h): the loop, wake-ups and socket notifiers; its
// timers are in epoll_timers.cpp.
#include "epoll_event_dispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace chalk::server {

namespace {

// What each notifier type listens to, and which reported events activate it (as poll() in
// QEventDispatcherUNIX: hang-up and error wake every notifier of the descriptor).
constexpr quint32 kListen[3] = {EPOLLIN, EPOLLOUT, EPOLLPRI};
constexpr quint32 kActivate[3] = {EPOLLIN | EPOLLHUP | EPOLLERR, EPOLLOUT | EPOLLHUP | EPOLLERR,
                                  EPOLLPRI | EPOLLHUP | EPOLLERR};

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    m_eventFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epollFd < 0 || m_eventFd < 0) {
        qErrnoWarning("EpollEventDispatcher: epoll_create1/eventfd");
        return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_eventFd;
    if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_eventFd, &ev) < 0) {
        qErrnoWarning("EpollEventDispatcher: epoll_ctl(eventfd)");
        ::close(m_eventFd);
        m_eventFd = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_eventFd >= 0)
        ::close(m_eventFd);
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

qint64 EpollEventDispatcher::nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * kSecond + ts.tv_nsec;
}

// ---- posted events, wake-ups -------------------------------------------------------------

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.storeRelaxed(0);
    emit awake();
    // The public route to what Qt's dispatchers do with QCoreApplicationPrivate: every event
    // posted after this call also calls wakeUp(), so the wait below cannot sleep on it.
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool wait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupt.loadRelaxed();
    if (wait)
        emit aboutToBlock();
    if (m_interrupt.loadRelaxed())
        return false;

    int timeoutMs = 0;
    if (wait) {
        timeoutMs = includeTimers ? waitTimeoutMs(nowNs()) : -1;
        // A nested loop inherits the outer batch of ready notifiers: deliver those first.
        if (includeNotifiers && (!m_alwaysReady.empty() || !m_pending.empty()))
            timeoutMs = 0;
    }

    int handled = 0;
    if (includeNotifiers) {
        applyChanges();
        if (checkWritable() > 0)
            timeoutMs = 0;
        const int n = epoll_wait(m_epollFd, m_events.data(), int(m_events.size()), timeoutMs);
        if (n < 0 && errno != EINTR)
            qErrnoWarning("EpollEventDispatcher: epoll_wait");
        // First mark everything ready, then deliver: callbacks may register, unregister or
        // delete notifiers of this same batch (unregistering clears their pending mark).
        for (int i = 0; i < n; ++i) {
            const int fd = m_events[i].data.fd;
            if (fd == m_eventFd) {
                drainWakeUps();
                ++handled;
            } else if (fd >= 0 && std::size_t(fd) < m_fds.size()) {
                markPending(fd, m_fds[fd], m_events[i].events);
            }
        }
        for (int fd : m_alwaysReady)
            markPending(fd, m_fds[fd], EPOLLIN | EPOLLOUT | EPOLLPRI);
        handled += activateSocketNotifiers();
    } else {
        // Sockets stay out of this wait (they are level-triggered in m_epollFd and would wake it
        // at once): only wake-ups and timers.
        pollfd p{m_eventFd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) > 0) {
            drainWakeUps();
            ++handled;
        }
    }
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

void EpollEventDispatcher::wakeUp()
{
    // One write until the loop has read it: a burst of posts from other threads costs one.
    if (!m_wakeUps.testAndSetAcquire(0, 1))
        return;
    const quint64 one = 1;
    while (::write(m_eventFd, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.storeRelaxed(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUps()
{
    quint64 value = 0;
    while (::read(m_eventFd, &value, sizeof value) < 0 && errno == EINTR) {
    }
    // Cleared after the read: a post racing with this is still delivered, because the caller's
    // next processEvents() starts with sendPostedEvents().
    m_wakeUps.storeRelease(0);
}

// ---- socket notifiers ---------------------------------------------------------------------

EpollEventDispatcher::FdEntry &EpollEventDispatcher::entry(int fd)
{
    if (std::size_t(fd) >= m_fds.size())
        m_fds.resize(std::max<std::size_t>(std::size_t(fd) + 1, m_fds.size() * 2));
    return m_fds[fd];
}

quint32 EpollEventDispatcher::wantedEvents(const FdEntry &e) const
{
    quint32 events = 0;
    for (int type = 0; type < 3; ++type) {
        if (e.notifiers[type])
            events |= kListen[type];
    }
    return events;
}

void EpollEventDispatcher::markDirty(int fd, FdEntry &e)
{
    // Enabling and disabling happen all the time (a socket's write notifier around every
    // write): the kernel is told once per wait, and only if the set really changed.
    if (!e.dirty) {
        e.dirty = true;
        m_dirty.push_back(fd);
    }
}

void EpollEventDispatcher::removeFromKernel(int fd, FdEntry &e)
{
    if (e.inKernel) {
        // EBADF/ENOENT: already closed, and epoll forgot it by itself.
        epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
        e.inKernel = false;
        e.kernelEvents = 0;
    }
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type > 2)
        return;
    FdEntry &e = entry(fd);
    if (e.notifiers[type] && e.notifiers[type] != notifier)
        qWarning("EpollEventDispatcher: multiple socket notifiers for socket %d and type %d", fd,
                 type);
    e.notifiers[type] = notifier;
    markDirty(fd, e);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || std::size_t(fd) >= m_fds.size() || type < 0 || type > 2)
        return;
    FdEntry &e = m_fds[fd];
    if (e.notifiers[type] != notifier)
        return;
    e.notifiers[type] = nullptr;
    e.pending[type] = false;
    if (type == QSocketNotifier::Write)
        e.writeCheck = false;
    if (e.notifiers[0] || e.notifiers[1] || e.notifiers[2]) {
        markDirty(fd, e);
        return;
    }
    // The last one: forget the descriptor now, not at the next wait, because its owner may
    // close it and get the same number back for a new socket before then.
    removeFromKernel(fd, e);
    if (e.alwaysReady) {
        e.alwaysReady = false;
        std::erase(m_alwaysReady, fd);
    }
}

void EpollEventDispatcher::applyChanges()
{
    for (int fd : m_dirty) {
        FdEntry &e = m_fds[fd];
        e.dirty = false;
        if (e.alwaysReady)
            continue;
        quint32 wanted = wantedEvents(e);
        // A socket's write notifier is switched on for every write and off once the bytes are
        // out, nearly always at the next wake-up: two epoll_ctl calls per message sent. Instead a
        // newly enabled one is tested with one poll() for all of them (checkWritable()); only a
        // socket that is not writable then (a full send buffer) goes into epoll with EPOLLOUT.
        if ((wanted & EPOLLOUT) && !(e.kernelEvents & EPOLLOUT)) {
            wanted &= ~quint32(EPOLLOUT);
            if (!e.writeCheck) {
                e.writeCheck = true;
                m_writeCheck.push_back(fd);
            }
        }
        if (wanted == 0) {
            removeFromKernel(fd, e);
            continue;
        }
        if (e.inKernel && wanted == e.kernelEvents)
            continue;
        setKernelEvents(fd, e, wanted);
    }
    m_dirty.clear();
}

void EpollEventDispatcher::setKernelEvents(int fd, FdEntry &e, quint32 events)
{
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    int op = e.inKernel ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int r = epoll_ctl(m_epollFd, op, fd, &ev);
    if (r < 0 && errno == ENOENT && op == EPOLL_CTL_MOD) // closed and reopened meanwhile
        r = epoll_ctl(m_epollFd, op = EPOLL_CTL_ADD, fd, &ev);
    else if (r < 0 && errno == EEXIST && op == EPOLL_CTL_ADD)
        r = epoll_ctl(m_epollFd, op = EPOLL_CTL_MOD, fd, &ev);
    if (r == 0) {
        e.inKernel = true;
        e.kernelEvents = events;
    } else if (errno == EPERM) {
        // Regular files and the like: poll() calls them always ready, so do we.
        removeFromKernel(fd, e);
        e.writeCheck = false;
        e.alwaysReady = true;
        m_alwaysReady.push_back(fd);
    } else {
        qWarning("EpollEventDispatcher: epoll_ctl(%d): %s", fd, std::strerror(errno));
        e.inKernel = false;
        e.kernelEvents = 0;
    }
}

int EpollEventDispatcher::checkWritable()
{
    if (m_writeCheck.empty())
        return 0;
    const quint64 pass = ++m_checkPass;
    m_pollFds.clear();
    for (int fd : m_writeCheck) {
        FdEntry &e = m_fds[fd];
        if (!e.writeCheck || e.checkedPass == pass)
            continue; // switched off since, or listed twice
        e.checkedPass = pass;
        m_pollFds.push_back({fd, POLLOUT, 0});
    }
    m_writeCheck.clear();
    if (m_pollFds.empty())
        return 0;
    if (::poll(m_pollFds.data(), nfds_t(m_pollFds.size()), 0) < 0) {
        if (errno != EINTR)
            qErrnoWarning("EpollEventDispatcher: poll");
        for (pollfd &p : m_pollFds)
            p.revents = 0; // unknown: hand them all to epoll
    }
    int ready = 0;
    for (const pollfd &p : m_pollFds) {
        FdEntry &e = m_fds[p.fd];
        if (p.revents & POLLNVAL) { // closed under its notifier: nothing to wait for
            e.writeCheck = false;
        } else if (p.revents & (POLLOUT | POLLHUP | POLLERR)) {
            // Activate it; still on after its callback, it is checked again next time.
            if (!e.pending[QSocketNotifier::Write]) {
                e.pending[QSocketNotifier::Write] = true;
                m_pending.push_back({p.fd, QSocketNotifier::Write});
            }
            m_writeCheck.push_back(p.fd);
            ++ready;
        } else {
            // Not writable (send buffer full): let epoll say when it is.
            e.writeCheck = false;
            setKernelEvents(p.fd, e, (e.inKernel ? e.kernelEvents : 0) | EPOLLOUT);
        }
    }
    return ready;
}

void EpollEventDispatcher::markPending(int fd, FdEntry &e, quint32 revents)
{
    for (int type = 0; type < 3; ++type) {
        if (e.notifiers[type] && !e.pending[type] && (revents & kActivate[type])) {
            e.pending[type] = true;
            m_pending.push_back({fd, type});
        }
    }
}

int EpollEventDispatcher::activateSocketNotifiers()
{
    int activated = 0;
    while (!m_pending.empty()) {
        const Pending p = m_pending.front();
        m_pending.pop_front();
        FdEntry &e = m_fds[p.fd];
        if (!e.pending[p.type])
            continue; // unregistered since it was marked
        e.pending[p.type] = false;
        QSocketNotifier *notifier = e.notifiers[p.type];
        if (!notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event); // may resize m_fds: e is stale now
        ++activated;
    }
    return activated;
}

bool installEpollEventDispatcher()
{
    if (QAbstractEventDispatcher::instance(QThread::currentThread()))
        return false; // too late: QCoreApplication (or a thread's loop) made one already
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (!dispatcher->isValid())
        return false;
    QCoreApplication::setEventDispatcher(dispatcher.release()); // the application owns it
    return true;
}

} // namespace chalk::server
