// RoomRegistry (room_registry.h): rooms, membership and the coalesced room_changed.
#include "room_registry.h"

#include "broadcaster.h"
#include "json_splice.h"
#include "protocol/codec.h"
#include "session.h"
#include "unread_counts.h"

#include <QJsonArray>

namespace chalk::server {

using namespace chalk::protocol;

RoomRegistry::RoomRegistry(const ServerOptions &options, const Broadcaster &broadcaster,
                           const UnreadCounts &unread, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_broadcaster(broadcaster)
    , m_unread(unread)
{
    m_roomChangeTimer.setSingleShot(true);
    m_roomChangeTimer.setInterval(std::max(0, m_options.roomChangeCoalesceMs));
    connect(&m_roomChangeTimer, &QTimer::timeout, this, &RoomRegistry::flushChanges);
    m_clock.start();
}

void RoomRegistry::load(const QList<Room> &rooms)
{
    m_rooms.clear();
    m_roomOrder.clear();
    m_partners.clear();
    for (const Room &r : rooms) {
        indexPartners(r, true);
        auto state = std::make_shared<RoomState>();
        state->room = r;
        state->room.users.clear(); // members are not persisted
        m_rooms.insert(r.uuid, state);
        m_roomOrder.append(r.uuid);
    }
}

RoomPtr RoomRegistry::find(const QString &uuid) const
{
    RoomPtr r = m_rooms.value(uuid);
    return r && !r->deleted ? r : nullptr;
}

RoomPtr RoomRegistry::add(const Room &room)
{
    auto state = std::make_shared<RoomState>();
    state->room = room;
    state->boardLoaded = true; // a new room has an empty board; no need to ask storage
    indexPartners(room, true);
    m_rooms.insert(room.uuid, state);
    m_roomOrder.append(room.uuid);
    return state;
}

void RoomRegistry::remove(const RoomPtr &r)
{
    r->deleted = true;
    indexPartners(r->room, false);
    m_rooms.remove(r->room.uuid);
    m_roomOrder.removeOne(r->room.uuid);
    m_dirtyRooms.remove(r->room.uuid);
}

bool RoomRegistry::isFull() const
{
    return m_options.maxRooms > 0 && m_rooms.size() + m_roomsBeingCreated >= m_options.maxRooms;
}

void RoomRegistry::join(Session *s, const RoomPtr &r)
{
    if (s->roomUuid() == r->room.uuid)
        return;
    leave(s);
    r->members.append(s);
    s->enterRoom(r->room.uuid);
    markChanged(r->room.uuid);
}

void RoomRegistry::leave(Session *s)
{
    if (s->roomUuid().isEmpty())
        return;
    if (const RoomPtr r = find(s->roomUuid())) {
        r->members.removeOne(s);
        markChanged(r->room.uuid);
    }
    s->leaveRoom();
}

void RoomRegistry::markChanged(const QString &roomUuid, bool membersToo)
{
    bool &forMembers = m_dirtyRooms[roomUuid];
    forMembers = forMembers || membersToo;
    if (!m_roomChangeTimer.isActive())
        m_roomChangeTimer.start();
}

void RoomRegistry::stop()
{
    m_roomChangeTimer.stop();
    m_dirtyRooms.clear();
}

void RoomRegistry::flushChanges()
{
    const QHash<QString, bool> dirty = std::exchange(m_dirtyRooms, {});
    const qint64 now = m_clock.elapsed();
    for (auto it = dirty.cbegin(); it != dirty.cend(); ++it) {
        const RoomPtr r = find(it.key());
        if (!r)
            continue;
        const int steps =
            1 + int(r->members.size()) / std::max(1, m_options.roomChangeMembersPerStep);
        if (steps > 1 && r->roomChangedAtMs >= 0 &&
            now - r->roomChangedAtMs < qint64(m_options.roomChangeCoalesceMs) * steps) {
            m_dirtyRooms.insert(it.key(), it.value()); // a big room: later
            continue;
        }
        r->roomChangedAtMs = now;
        // A count-only change skips the members: in a big room the member list in every
        // room_changed cost as much as the messages themselves (docs/PERFORMANCE.md).
        // Each recipient's unread count is its own: one frame per count among the recipients
        // (most share one: 0, or the same few messages), the room encoded once for all.
        const QByteArray roomJson = r->bytes();
        QHash<qint64, WireFrame> frames;
        for (Session *s : audience(*r)) {
            if (!it.value() && s->roomUuid() == it.key())
                continue;
            const std::optional<qint64> count = m_unread.count(s->user().uuid, it.key());
            const qint64 unread = count.value_or(-1); // -1: not followed, no `unread`
            auto f = frames.constFind(unread);
            if (f == frames.cend())
                f = frames.insert(unread,
                                  RoomState::frameOf(Result::RoomChanged,
                                                     RoomState::withUnread(roomJson, count)));
            s->send(*f);
        }
    }
    if (!m_dirtyRooms.isEmpty() && !m_roomChangeTimer.isActive())
        m_roomChangeTimer.start();
}

QList<Session *> RoomRegistry::audience(const RoomState &room) const
{
    QList<Session *> all = m_broadcaster.everyone();
    if (room.room.isDirect())
        all.removeIf([&](const Session *s) { return !room.admits(s->user().uuid); });
    return all;
}

void RoomRegistry::indexPartners(const Room &room, bool add)
{
    if (room.members.size() != 2)
        return;
    const QString &a = room.members[0];
    const QString &b = room.members[1];
    if (add) {
        m_partners[a].insert(b);
        m_partners[b].insert(a);
        return;
    }
    // One direct room per pair (its uuid derives from the pair), so the pair goes with it.
    for (const auto &[from, to] : {std::pair{a, b}, std::pair{b, a}}) {
        const auto it = m_partners.find(from);
        if (it == m_partners.end())
            continue;
        it->remove(to);
        if (it->isEmpty())
            m_partners.erase(it);
    }
}

WireFrame RoomRegistry::listedFrame(const Session *viewer, const QString &clientId) const
{
    QJsonObject fields;
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    return listed(viewer, 0, -1, std::move(fields));
}

std::optional<WireFrame> RoomRegistry::listedPage(const Session *viewer, const QString &after,
                                                  int limit, const QString &clientId) const
{
    QJsonObject fields;
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    qsizetype from = 0;
    if (!after.isEmpty()) {
        // A direct room of others is no cursor either: its uuid must not tell it exists.
        const RoomPtr r = find(after);
        if (!r || !r->admits(viewer->user().uuid))
            return std::nullopt;
        from = m_roomOrder.indexOf(after) + 1;
        fields.insert(QStringLiteral("after"), after);
    }
    return listed(viewer, from, std::max(1, limit), std::move(fields));
}

WireFrame RoomRegistry::listed(const Session *viewer, qsizetype from, int limit,
                               QJsonObject fields) const
{
    const qsizetype maxBytes = m_options.limits.roomPageBytes;
    const bool paged = limit > 0;
    bool more = false;
    int taken = 0;
    QByteArray list("[");
    for (qsizetype i = from; i < m_roomOrder.size(); ++i) {
        const RoomPtr r = find(m_roomOrder[i]);
        if (!r || !r->admits(viewer->user().uuid))
            continue;
        if (paged && (taken == limit || list.size() >= maxBytes)) {
            more = true;
            break;
        }
        if (list.size() > 1)
            list.append(',');
        list.append(
            RoomState::withUnread(r->bytes(), m_unread.count(viewer->user().uuid, m_roomOrder[i])));
        ++taken;
    }
    list.append(']');
    if (paged)
        fields.insert(QStringLiteral("has_more"), more);
    fields.insert(QStringLiteral("list"), QJsonArray());
    QByteArray json = encodeResult(Result::RoomsListed, fields);
    spliceValue(json, QLatin1String("list"), '[', list);
    return WireFrame(std::move(json));
}

} // namespace chalk::server
