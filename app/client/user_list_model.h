// Members of the current room, from room_entered and the room_changed of that room, with
// their presence from the client's PresenceBook (a member is in the room, so online until the
// server says otherwise).
#pragma once

#include "protocol/objects.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>

namespace chalk::client {

class ChatClient;

class UserListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { UuidRole = Qt::UserRole + 1, NameRole, IsSelfRole, OnlineRole, LastSeenRole };
    Q_ENUM(Role)

    explicit UserListModel(ChatClient *client = nullptr, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString roomUuid() const { return m_room; }
    QString selfUuid() const { return m_self; }
    QList<protocol::User> users() const { return m_users; }

public slots:
    void setRoom(const chalk::protocol::Room &room);    // members of this room
    void updateRoom(const chalk::protocol::Room &room); // ignored unless it is the current room
    void setSelf(const chalk::protocol::User &user);
    void clear();
    // The client's PresenceBook changed for these users: their rows show it.
    void presenceChanged(const QList<QString> &userUuids);

private:
    void setMembers(const QList<protocol::User> &users);

    QPointer<ChatClient> m_client;
    QString m_room;
    QString m_self;
    QList<protocol::User> m_users;
};

} // namespace chalk::client
