#include "unread_divider.h"

#include "client/message_list_model.h"
#include "client/room_list_model.h"

namespace chalk::ui {

using client::MessageListModel;
using client::RoomListModel;

UnreadDivider::UnreadDivider(MessageListModel *messages, QObject *parent)
    : QObject(parent)
    , m_messages(messages)
{
    if (!messages)
        return;
    m_room = messages->roomUuid();
    connect(messages, &QAbstractItemModel::modelReset, this, &UnreadDivider::onRoomReset);
    connect(messages, &MessageListModel::newestPageLoaded, this, &UnreadDivider::onNewestPage);
    connect(messages, &MessageListModel::pagePrepended, this, &UnreadDivider::onPrepended);
    connect(messages, &MessageListModel::messagesAppended, this, &UnreadDivider::onAppended);
}

void UnreadDivider::setRoomModel(RoomListModel *rooms)
{
    m_rooms = rooms;
    m_unreadByRoom.clear();
    if (!rooms)
        return;
    // Entering a room zeroes its count before the message list switches rooms (the room list
    // hears room_entered first), so the count is remembered while the room is not the open one.
    connect(rooms, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &top, const QModelIndex &bottom) {
                rememberUnread(top.row(), bottom.row());
            });
    connect(rooms, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { rememberUnread(first, last); });
    connect(rooms, &QAbstractItemModel::modelReset, this, [this] {
        m_unreadByRoom.clear();
        rememberUnread(0, m_rooms->rowCount() - 1);
    });
    rememberUnread(0, rooms->rowCount() - 1);
}

void UnreadDivider::rememberUnread(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = m_rooms->index(row);
        if (index.data(RoomListModel::CurrentRole).toBool())
            continue;
        const QString uuid = index.data(RoomListModel::UuidRole).toString();
        const qint64 unread = index.data(RoomListModel::UnreadRole).toLongLong();
        if (unread > 0)
            m_unreadByRoom.insert(uuid, unread);
        else
            m_unreadByRoom.remove(uuid);
    }
}

void UnreadDivider::setInView(bool inView)
{
    if (inView)
        m_runMarked = false; // seen: the next missed message starts a new run
    m_inView = inView;
}

int UnreadDivider::row() const
{
    return m_anchor.isEmpty() || !m_messages ? -1 : m_messages->rowOf(m_anchor);
}

void UnreadDivider::onRoomReset()
{
    const QString room = m_messages->roomUuid();
    if (room == m_room) {
        // Reloaded after a long disconnection: keep the divider if its message is still here.
        if (!m_anchor.isEmpty() && m_messages->rowOf(m_anchor) < 0)
            setAnchor({});
        return;
    }
    m_room = room;
    m_runMarked = false;
    m_unreadAbove = room.isEmpty() ? 0 : m_unreadByRoom.take(room);
    setAnchor({});
}

void UnreadDivider::onNewestPage()
{
    if (m_unreadAbove <= 0)
        return;
    // The newest N stored messages are the unread ones; pending own ones come after them.
    placeFromTop(int(std::min<qint64>(m_messages->storedCount(), INT_MAX)));
}

void UnreadDivider::onPrepended(int count)
{
    if (m_unreadAbove > 0 && count > 0)
        placeFromTop(count);
}

// `rowsAbove` rows at the top were not counted yet; the unread ones are the last of them.
void UnreadDivider::placeFromTop(int rowsAbove)
{
    if (rowsAbove <= 0)
        return;
    const qint64 target = rowsAbove - m_unreadAbove;
    const int row = int(std::max<qint64>(0, target));
    m_unreadAbove = target >= 0 ? 0 : -target; // more unread above: placed with an older page
    setAnchor(m_messages->index(row).data(MessageListModel::UuidRole).toString());
}

void UnreadDivider::onAppended(int first, int last)
{
    if (m_inView || m_runMarked)
        return;
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = m_messages->index(row);
        if (index.data(MessageListModel::OwnRole).toBool())
            continue;
        m_runMarked = true;
        m_unreadAbove = 0;
        setAnchor(index.data(MessageListModel::UuidRole).toString());
        return;
    }
}

void UnreadDivider::setAnchor(const QString &uuid)
{
    if (uuid == m_anchor)
        return;
    m_anchor = uuid;
    emit changed();
}

} // namespace chalk::ui
