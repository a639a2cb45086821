// Rooms as the server lists them, with member count and unread count. Fed by a ChatClient
// (rooms_listed / room_created / room_changed / room_deleted / room_entered / room_left,
// unread_changed). The unread count is the server's where it keeps one (Room::unread: the
// same on every device, across restarts); only against a server without it is it counted
// here, from `sum`.
#pragma once

#include "protocol/objects.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>

namespace chalk::client {

class ChatClient;

class RoomListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        UuidRole = Qt::UserRole + 1,
        NameRole,
        ColorRole, // QString "#rrggbb" (no QColor: the client core does not link QtGui)
        MemberCountRole,
        SumRole,
        UnreadRole,
        CreatedRole, // QDateTime
        CurrentRole  // bool: the room the user is in
    };
    Q_ENUM(Role)

    explicit RoomListModel(ChatClient *client = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int indexOf(const QString &uuid) const; // -1 when unknown
    protocol::Room room(int row) const;
    std::optional<protocol::Room> roomByUuid(const QString &uuid) const;
    QString currentRoomUuid() const { return m_current; }

public slots:
    void setRooms(const QList<chalk::protocol::Room> &rooms);
    void upsertRoom(const chalk::protocol::Room &room);
    void removeRoom(const QString &uuid);
    void setCurrentRoom(const QString &uuid); // empty: none
    // The server's count for one room (unread_changed).
    void setUnread(const QString &uuid, qint64 unread);
    void clear();

private:
    struct Entry {
        protocol::Room room; // room.unread: the server's latest count, if it sent one
        qint64 seenSum = 0;  // sum when the user last looked at the room
    };
    qint64 unread(const Entry &e) const;
    void countMessage(const protocol::Message &message);
    QList<Entry> m_rooms;
    QString m_current;
};

} // namespace chalk::client
