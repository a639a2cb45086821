// PresenceTracker (presence_tracker.h): devices per user, last seen, the coalesced and bounded
// presence_changed.
#include "presence_tracker.h"

#include "broadcaster.h"
#include "room_registry.h"
#include "session.h"
#include "storage/storage.h"

#include <QJsonArray>
#include <QPointer>
#include <algorithm>

namespace chalk::server {

using namespace chalk::protocol;

PresenceTracker::PresenceTracker(const ServerOptions &options, Storage &storage,
                                 const RoomRegistry &rooms, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_storage(storage)
    , m_rooms(rooms)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(std::max(0, m_options.presenceIntervalMs));
    connect(&m_timer, &QTimer::timeout, this, &PresenceTracker::flush);
}

void PresenceTracker::update(Session *s)
{
    const QString now = s->isAuthenticated() && !s->isClosed() ? s->user().uuid : QString();
    const QString before = m_deviceUser.value(s);
    if (now == before)
        return;
    if (!before.isEmpty())
        detach(s, before);
    if (!now.isEmpty())
        attach(s, now);
}

void PresenceTracker::drop(Session *s)
{
    const QString before = m_deviceUser.value(s);
    if (!before.isEmpty())
        detach(s, before);
}

void PresenceTracker::stop()
{
    m_stopped = true; // the devices still leave (last seen is stored), but nothing is sent
    m_timer.stop();
    m_pending.clear();
    m_pendingOrder.clear();
}

PresenceTracker::Pending &PresenceTracker::pending(const QString &userUuid)
{
    auto it = m_pending.find(userUuid);
    if (it == m_pending.end()) {
        it = m_pending.insert(userUuid, Pending{});
        m_pendingOrder.append(userUuid);
    }
    if (!m_timer.isActive() && !m_stopped)
        m_timer.start();
    return *it;
}

void PresenceTracker::attach(Session *s, const QString &userUuid)
{
    m_deviceUser.insert(s, userUuid);
    QList<Session *> &devices = m_devices[userUuid];
    devices.append(s);
    if (devices.size() == 1)
        pending(userUuid);
    sendStates(s, userUuid, m_rooms.directPartners(userUuid));
}

void PresenceTracker::introduce(const QString &a, const QString &b)
{
    for (Session *device : m_devices.value(a))
        sendStates(device, a, {b});
    for (Session *device : m_devices.value(b))
        sendStates(device, b, {a});
}

QCoro::Task<void> PresenceTracker::sendStates(Session *device, QString userUuid,
                                              QList<QString> partners)
{
    if (partners.isEmpty() || m_stopped)
        co_return;
    // Bounded like a flush: anyone can open a direct conversation with anyone.
    std::sort(partners.begin(), partners.end());
    if (m_options.presenceBatchMax > 0 && partners.size() > m_options.presenceBatchMax)
        partners.resize(m_options.presenceBatchMax);
    QStringList away;
    for (const QString &p : std::as_const(partners)) {
        if (!isOnline(p))
            away.append(p);
    }
    const SessionPtr s(device);
    const QPointer<PresenceTracker> self(this);
    std::optional<QHash<QString, QDateTime>> seen;
    if (!away.isEmpty())
        seen = co_await m_storage.lastSeenOf(away); // a failure only leaves last_seen out
    if (!self || m_stopped || !s || s->isClosed() || m_deviceUser.value(s) != userUuid)
        co_return;
    QJsonArray users;
    for (const QString &p : std::as_const(partners)) {
        UserPresence state;
        state.user.uuid = p;
        state.online = isOnline(p); // as it is now, after the read
        if (!state.online && seen)
            state.lastSeen = seen->value(p);
        users.append(state.toJson(false));
    }
    s->send(Broadcaster::frame(Result::PresenceChanged, {{QStringLiteral("users"), users}}));
    ++m_framesSent;
}

void PresenceTracker::detach(Session *s, const QString &userUuid)
{
    m_deviceUser.remove(s);
    const auto it = m_devices.find(userUuid);
    if (it == m_devices.end())
        return;
    it->removeOne(s);
    if (!it->isEmpty())
        return; // another device keeps the user online
    m_devices.erase(it);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Pending &change = pending(userUuid);
    change.lastSeen = now;
    if (!s->roomUuid().isEmpty())
        change.rooms.insert(s->roomUuid());
    // Not awaited: nothing waits on it, and Storage::flush() does on stop.
    m_storage.setLastSeen(userUuid, now);
}

QSet<Session *> PresenceTracker::audience(const QString &userUuid, const Pending &change) const
{
    // The rooms its last device left. Not the rooms its devices are in: their members see it
    // there (room_changed lists the connected members), so telling them it is online is a
    // second copy -- a join storm of 1000 in one room would cost 1000 x 1000 entries for
    // nothing (docs/PERFORMANCE.md "Presence").
    QSet<Session *> to;
    for (const QString &roomUuid : std::as_const(change.rooms)) {
        if (const RoomPtr r = m_rooms.find(roomUuid)) {
            for (Session *member : std::as_const(r->members))
                to.insert(member);
        }
    }
    for (const QString &partner : m_rooms.directPartners(userUuid)) {
        for (Session *device : m_devices.value(partner))
            to.insert(device);
    }
    return to;
}

void PresenceTracker::flush()
{
    // At most presenceBatchMax users a frame: the rest wait for the next interval, so a frame
    // stays small however many connect at once.
    const qsizetype batch =
        m_options.presenceBatchMax > 0
            ? std::min<qsizetype>(m_options.presenceBatchMax, m_pendingOrder.size())
            : m_pendingOrder.size();
    QList<QJsonObject> entries;
    QHash<Session *, QList<int>> perSession; // recipient -> its entries, in order
    for (const QString &userUuid : m_pendingOrder.mid(0, batch)) {
        const Pending change = m_pending.take(userUuid);
        // Its state now: one that came and went within the interval is told once, as gone.
        UserPresence p;
        p.user.uuid = userUuid;
        p.online = isOnline(userUuid);
        if (!p.online)
            p.lastSeen = change.lastSeen;
        const int index = int(entries.size());
        entries.append(p.toJson(false));
        for (Session *s : audience(userUuid, change))
            perSession[s].append(index);
    }
    m_pendingOrder.remove(0, batch);
    // Recipients that hear of the same changes (every member of one room, typically) share
    // one encoding.
    QHash<QList<int>, WireFrame> frames;
    for (auto it = perSession.cbegin(); it != perSession.cend(); ++it) {
        // Every one was found just now among the connected sessions; skip those closing.
        if (it.key()->isClosed() || !it.key()->isAuthenticated())
            continue;
        auto f = frames.constFind(it.value());
        if (f == frames.cend()) {
            QJsonArray users;
            for (int i : it.value())
                users.append(entries[i]);
            f = frames.insert(it.value(), Broadcaster::frame(Result::PresenceChanged,
                                                             {{QStringLiteral("users"), users}}));
        }
        it.key()->send(*f);
        ++m_framesSent;
    }
    if (!m_pendingOrder.isEmpty() && !m_timer.isActive())
        m_timer.start();
}

} // namespace chalk::server
