// Names a direct conversation by the other person ("Bob"), as people expect, not by the name
// the server gave it when it was opened ("Ann & Bob"). The other member's name is learnt from
// what the client hears -- the members of rooms, the authors of messages -- for the people one
// has a direct conversation with (so the table stays as small as the Direct list). Until it is
// heard, the server's name without one's own stands in.
#pragma once

#include "protocol/objects.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace chalk::client {
class ChatClient;
class RoomListModel;
} // namespace chalk::client

namespace chalk::ui {

class DirectNames : public QObject {
    Q_OBJECT
public:
    DirectNames(client::ChatClient *client, client::RoomListModel *rooms,
                QObject *parent = nullptr);

    // The other member's uuid of a direct conversation; empty for a room.
    QString otherMember(const protocol::Room &room) const;
    // What the conversation is called on screen: the other person's name (a room: its name).
    QString nameOf(const protocol::Room &room) const;

signals:
    // A name changed: lists and titles that show one read it again.
    void changed();

private:
    void refreshPartners();
    void learnFrom(const protocol::Room &room);
    void learn(const protocol::User &user);

    QPointer<client::ChatClient> m_client;
    client::RoomListModel *m_rooms;
    QSet<QString> m_partners;        // the other members of the listed direct conversations
    QHash<QString, QString> m_names; // partner uuid -> the name last heard
};

} // namespace chalk::ui
