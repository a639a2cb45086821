// ChatClient's answer handlers: one per result of the statement table, reached by std::visit
// over decodeAnswer (ChatClient::onFrame). Each keeps the client's state (identity, room,
// outbox) in step and emits the typed signal the UI and the models listen to.
#include "chat_client.h"

namespace chalk::client {

using namespace protocol;

void ChatClient::on(Answer<Result::UserCreated> a)
{
    const User &user = a.payload.object;
    if (m_session.isReady()) {
        // The original answers change_user_name with user_created of the same user.
        if (user.uuid == m_user.uuid && !user.name.isEmpty()) {
            m_user.name = user.name;
            emit userChanged(m_user);
        }
        return;
    }
    // The link's greeting: it says what this server is.
    m_features.learnFromGreeting(!a.payload.token.isEmpty());
    emit serverFeaturesLearned();
    m_session.onUserCreated(user, a.payload.token);
}

void ChatClient::on(Answer<Result::Resumed> a)
{
    m_features.learnResumed();
    m_session.onResumed(a.payload.object);
}

void ChatClient::on(Answer<Result::Authenticated>)
{
    // user_created follows.
}

void ChatClient::on(Answer<Result::Registered> a)
{
    const bool wasReady = m_session.isReady();
    m_session.onAccount(a.payload.object, a.payload.token); // settles if it had no identity
    if (wasReady) {
        m_user.registered = true;
        m_user.name = a.payload.object.name;
        emit userChanged(m_user);
    }
    emit registered(m_user);
}

void ChatClient::on(Answer<Result::LoggedIn> a)
{
    forgetRoom();
    const bool wasReady = m_session.isReady();
    m_session.onAccount(a.payload.object, a.payload.token);
    if (wasReady) {
        m_user = a.payload.object;
        m_user.roomUuid.clear();
        emit userChanged(m_user);
    }
    emit loggedIn(m_user);
}

void ChatClient::on(Answer<Result::LoggedOut>)
{
    forgetRoom();
    m_session.onLoggedOut(); // the next user_created is a new identity, not a rename
    emit loggedOut();
}

void ChatClient::on(Answer<Result::PasswordChanged>)
{
    emit passwordChanged();
}

void ChatClient::on(Answer<Result::UserBlocked> a)
{
    emit userBlocked(a.payload.userUuid);
}

void ChatClient::on(Answer<Result::UserUnblocked> a)
{
    emit userUnblocked(a.payload.userUuid);
}

void ChatClient::on(Answer<Result::UsersListed> a)
{
    m_presence.update(a.payload.list);
    emit usersListed(a.payload.list, a.payload.hasMore);
}

void ChatClient::on(Answer<Result::PresenceChanged> a)
{
    m_presence.update(a.payload.users);
    emit presenceChanged(a.payload.users);
}

void ChatClient::on(Answer<Result::UnreadChanged> a)
{
    m_features.learnUnreadCounts();
    m_reads->setSupported(true);
    m_reads->markAnswered(a.payload.roomUuid);
    m_reads->serverCount(a.payload.roomUuid, a.payload.unread);
    emit unreadChanged(a.payload.roomUuid, a.payload.unread);
}

void ChatClient::learnUnread(QList<Room> &rooms)
{
    for (Room &room : rooms) {
        // Counted before our mark_read of it arrived: the answer brings the count.
        if (room.unread && m_reads->isMarking(room.uuid))
            room.unread.reset();
        if (!room.unread)
            continue;
        m_features.learnUnreadCounts();
        m_reads->setSupported(true);
        m_reads->serverCount(room.uuid, *room.unread);
    }
}

void ChatClient::forgetRoom()
{
    m_reads->roomLeft();
    const bool wasIn = !m_currentRoom.isEmpty();
    m_currentRoom.clear();
    m_wantedRoom.clear();
    m_user.roomUuid.clear();
    if (wasIn)
        emit roomLeft();
}

void ChatClient::on(Answer<Result::RoomsListed> a)
{
    switch (m_roomPages.take(std::move(a.payload))) {
    case RoomPager::Step::Ignored:
        return;
    case RoomPager::Step::More: {
        ListRoomsArgs next{m_roomPages.nextAfter(), protocol::Limits{}.roomPageDefault};
        send<Call::ListRooms>(std::move(next));
        return;
    }
    case RoomPager::Step::Done:
        break;
    }
    QList<Room> rooms = m_roomPages.takeRooms();
    learnUnread(rooms);
    emit roomsListed(rooms);
}

void ChatClient::on(Answer<Result::RoomCreated> a)
{
    emit roomCreated(a.payload.object);
}

void ChatClient::on(Answer<Result::RoomEntered> a)
{
    Room &room = a.payload.object;
    if (room.uuid.isEmpty())
        room.uuid = m_enteringRoom; // the original answers without the room
    m_enteringRoom.clear();
    if (room.uuid.isEmpty())
        return;
    m_currentRoom = room.uuid;
    m_presence.markOnline(room.users);
    m_wantedRoom = room.uuid;
    m_user.roomUuid = room.uuid;
    m_resumeEnterTimer->stop();
    QList<Room> entered{room};
    learnUnread(entered); // before roomEntered: it marks the room left behind
    m_reads->roomEntered(room.uuid);
    emit roomEntered(room);
    // Back in a room: what was written offline in it goes out now, in order.
    flushOutbox();
}

void ChatClient::on(Answer<Result::RoomLeft>)
{
    m_reads->roomLeft();
    m_currentRoom.clear();
    m_wantedRoom.clear();
    m_user.roomUuid.clear();
    emit roomLeft();
}

void ChatClient::on(Answer<Result::RoomDeleted> a)
{
    const Room &room = a.payload.object;
    dropOutboxFor(room.uuid, QStringLiteral("room_deleted"));
    m_roomPages.roomDeleted(room.uuid);
    if (room.uuid == m_wantedRoom)
        m_wantedRoom.clear();
    if (room.uuid == m_currentRoom) {
        m_reads->roomLeft();
        m_currentRoom.clear();
        m_user.roomUuid.clear();
    }
    emit roomDeleted(room);
}

void ChatClient::on(Answer<Result::RoomChanged> a)
{
    QList<Room> changed{a.payload.object};
    learnUnread(changed);
    m_presence.markOnline(changed.first().users);
    m_roomPages.roomChanged(changed.first());
    emit roomChanged(changed.first());
}

void ChatClient::on(Answer<Result::UserChanged> a)
{
    const User &user = a.payload.object;
    if (m_user.uuid.isEmpty() || user.uuid == m_user.uuid) {
        m_user.name = user.name;
        m_user.uuid = user.uuid;
        emit userChanged(m_user);
    }
}

void ChatClient::on(Answer<Result::MessageCreated> a)
{
    m_outbox->acknowledge(a.payload.object, m_user.uuid);
    emit messageCreated(a.payload.object);
    m_reads->messageArrived(a.payload.object, m_user.uuid);
}

void ChatClient::on(Answer<Result::MessageChanged> a)
{
    emit messageChanged(a.payload.object);
}

void ChatClient::on(Answer<Result::MessageDeleted> a)
{
    emit messageDeleted(a.payload.roomUuid, a.payload.messageUuid);
}

void ChatClient::on(Answer<Result::MessagesListed> a)
{
    emit messagesListed(a.payload.list, a.payload.hasMore, a.payload.before);
    if (a.payload.before.isEmpty())
        m_reads->newestPage(m_currentRoom, a.payload.list);
}

void ChatClient::on(Answer<Result::DrawingGot> a)
{
    emit drawingGot(a.payload.object);
    if (!a.payload.clearedBy.uuid.isEmpty())
        emit boardCleared(a.payload.clearedBy, a.payload.clearedBy.uuid == user().uuid);
}

void ChatClient::on(Answer<Result::DrawLineChanged> a)
{
    // Without a client_id, only from a server that echoes none (else it is a live chunk's).
    if (!a.clientId.isEmpty() ||
        (!serverEchoesClientId() && a.payload.object.userUuid == m_user.uuid))
        m_outbox->acknowledgeLine(OutboxKind::Line, a.clientId, a.payload.object.uuid);
    emit drawLineChanged(a.payload.object);
}

void ChatClient::on(Answer<Result::DrawLineRemoved> a)
{
    if (!a.clientId.isEmpty() || !serverEchoesClientId())
        m_outbox->acknowledgeLine(OutboxKind::LineRemoval, a.clientId, a.payload.uuid);
    emit drawLineRemoved(a.payload.uuid);
}

void ChatClient::on(Answer<Result::UserTyping> a)
{
    emit userTyping(a.payload.object);
}

} // namespace chalk::client
