// EpollEventDispatcher's timers (the class is declared in epoll_event_dispatcher.h; its sockets,
// posted events and wake-ups are in epoll_event_dispatcher.cpp): Qt's Precise/Coarse/VeryCoarse
// scheduling rules over one queue ordered by deadline.
#include "epoll_event_dispatcher.h"

#include <QCoreApplication>
#include <climits>

namespace chalk::server {

void EpollEventDispatcher::schedule(Timer &t, qint64 now, bool first)
{
    if (t.type == Qt::VeryCoarseTimer) {
        // Whole seconds, as Qt does: thousands of such timers share a wake-up.
        if (first) {
            qint64 seconds = now / kSecond;
            if (now % kSecond > kSecond / 2)
                ++seconds;
            t.timeoutNs = (seconds + t.interval) * kSecond;
        } else {
            t.timeoutNs += t.interval * kSecond;
            if (t.timeoutNs / kSecond <= now / kSecond)
                t.timeoutNs = (now / kSecond + t.interval) * kSecond;
        }
        return;
    }
    const qint64 interval = t.interval * kMs;
    if (first) {
        t.timeoutNs = now + interval;
    } else {
        t.timeoutNs += interval;
        if (t.timeoutNs < now) // late: skip the missed ones instead of firing a burst
            t.timeoutNs = now + interval;
    }
    if (t.type == Qt::CoarseTimer) {
        // Up to 5 % early or late (Qt's rule): round the deadline to the coarsest grain within
        // that, so that timers of similar deadlines wake the loop once.
        const qint64 slackMs = t.interval / 20;
        static constexpr qint64 grains[] = {1000, 500, 250, 100, 50, 25, 10, 5, 2, 1};
        for (qint64 grain : grains) {
            if (grain <= slackMs) {
                const qint64 g = grain * kMs;
                t.timeoutNs = (t.timeoutNs + g / 2) / g * g;
                break;
            }
        }
    }
}

void EpollEventDispatcher::insertTimer(Timer &t)
{
    t.seq = ++m_nextSeq; // equal deadlines fire in the order they were (re)scheduled
    m_queue.emplace(TimerKey{t.timeoutNs, t.seq}, &t);
}

void EpollEventDispatcher::eraseTimer(Timer &t)
{
    m_queue.erase(TimerKey{t.timeoutNs, t.seq});
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId <= 0 || interval < 0 || !object) {
        qWarning("EpollEventDispatcher::registerTimer: invalid arguments");
        return;
    }
    if (m_timers.count(timerId))
        unregisterTimer(timerId);
    auto timer = std::make_unique<Timer>();
    Timer &t = *timer;
    t.id = timerId;
    t.interval = interval;
    t.requestedType = timerType;
    t.type = timerType;
    t.object = object;
    t.requestedInterval = interval;
    if (t.type == Qt::CoarseTimer) {
        // 5 % of 20 ms is under 1 ms; 5 % of 20 s is over 1 s (Qt's boundaries).
        if (interval <= 20)
            t.type = Qt::PreciseTimer;
        else if (interval >= 20000)
            t.type = Qt::VeryCoarseTimer;
    }
    if (t.type == Qt::VeryCoarseTimer) {
        t.interval = (interval + 500) / 1000;
        if (t.interval == 0) { // under half a second: whole seconds would mean "always due"
            t.type = Qt::PreciseTimer;
            t.interval = interval;
        }
    }
    schedule(t, nowNs(), true);
    insertTimer(t);
    m_timersByObject.emplace(object, &t);
    m_timers.emplace(timerId, std::move(timer));
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    Timer *t = it->second.get();
    if (t->activeRef)
        *t->activeRef = nullptr; // activateTimers() must not touch it after its event
    eraseTimer(*t);
    auto [first, last] = m_timersByObject.equal_range(t->object);
    for (auto o = first; o != last; ++o) {
        if (o->second == t) {
            m_timersByObject.erase(o);
            break;
        }
    }
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    std::vector<int> ids;
    auto [first, last] = m_timersByObject.equal_range(object);
    for (auto o = first; o != last; ++o)
        ids.push_back(o->second->id);
    for (int id : ids)
        unregisterTimer(id);
    return !ids.empty();
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    auto [first, last] = m_timersByObject.equal_range(object);
    for (auto o = first; o != last; ++o) {
        const Timer &t = *o->second;
        list.append(
            TimerInfo(t.id, int(qMin<qint64>(t.requestedInterval, INT_MAX)), t.requestedType));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const qint64 left = it->second->timeoutNs - nowNs();
    return left <= 0 ? 0 : int(qMin<qint64>(left / kMs, INT_MAX));
}

int EpollEventDispatcher::waitTimeoutMs(qint64 now) const
{
    for (const auto &[key, t] : m_queue) {
        if (t->activeRef)
            continue; // being delivered further up the stack: it will not fire in here
        const qint64 left = key.first - now;
        if (left <= 0)
            return 0;
        return int(qMin<qint64>((left + kMs - 1) / kMs, INT_MAX)); // never wake before it
    }
    return -1;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_queue.empty())
        return 0;
    const qint64 now = nowNs();
    const quint64 pass = ++m_nextPass;
    // Only the timers due now, each at most once: a zero timer rescheduled to "now" waits for
    // the next pass, so it cannot starve sockets and posted events.
    int due = 0;
    for (auto it = m_queue.begin(); it != m_queue.end() && it->first.first <= now; ++it)
        ++due;
    int activated = 0;
    while (due-- > 0 && !m_queue.empty()) {
        Timer *t = m_queue.begin()->second;
        if (t->timeoutNs > now || t->pass == pass)
            break;
        t->pass = pass;
        eraseTimer(*t);
        schedule(*t, now, false);
        insertTimer(*t);
        if (t->interval > 0)
            ++activated;
        if (t->activeRef)
            continue; // its slot runs a nested loop: do not re-enter it
        Timer *current = t;
        t->activeRef = &current;
        QTimerEvent event(t->id);
        QCoreApplication::sendEvent(t->object, &event);
        if (current) // still registered
            current->activeRef = nullptr;
    }
    return activated;
}

} // namespace chalk::server
