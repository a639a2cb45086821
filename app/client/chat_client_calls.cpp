// ChatClient's call methods: one per call of the protocol. Each fills the call's typed
// arguments (protocol/call_args.h); send<Call>() writes them with the table's field names.
#include "chat_client.h"

namespace chalk::client {

using namespace protocol;

bool ChatClient::createRoom(const QString &name, const QString &color)
{
    return send<Call::CreateRoom>({name.isEmpty() ? std::nullopt : std::optional(name),
                                   color.isEmpty() ? std::nullopt : std::optional(color)});
}

bool ChatClient::enterRoom(const QString &uuid)
{
    if (!send<Call::EnterRoom>({uuid}))
        return false;
    m_enteringRoom = uuid;
    return true;
}

bool ChatClient::leaveRoom()
{
    return send<Call::LeaveRoom>({});
}

bool ChatClient::deleteRoom(const QString &uuid)
{
    return send<Call::DeleteRoom>({uuid});
}

bool ChatClient::listRooms()
{
    // Paged: a server full of rooms answers in pages the client puts together (RoomPager).
    return send<Call::ListRooms>({std::nullopt, protocol::Limits{}.roomPageDefault});
}

bool ChatClient::changeRoomColor(const QString &uuid, const QString &color)
{
    return send<Call::ChangeColor>({uuid, color});
}

bool ChatClient::changeRoomName(const QString &uuid, const QString &name)
{
    return send<Call::ChangeName>({uuid, name});
}

bool ChatClient::changeUserName(const QString &name)
{
    return send<Call::ChangeUserName>({name});
}

QString ChatClient::sendMessage(const QString &body, const QString &replyTo)
{
    if (body.trimmed().isEmpty())
        return {};
    const QString room = roomToSendTo();
    if (room.isEmpty())
        return {};
    const QString clientId = m_outbox->enqueue(room, body, replyTo);
    flushOutbox();
    return clientId;
}

QString ChatClient::queueDrawLine(const Line &line)
{
    const QString room = roomToSendTo();
    if (room.isEmpty() || line.uuid.isEmpty() || line.points.isEmpty())
        return {};
    Line whole = line;
    whole.userUuid.clear(); // the server knows who we are
    const QString clientId = m_outbox->enqueueLine(room, whole);
    flushOutbox();
    return clientId;
}

QString ChatClient::queueRemoveDrawLine(const QString &uuid, bool mayBeOnServer)
{
    const QString room = roomToSendTo();
    if (room.isEmpty() || uuid.isEmpty())
        return {};
    const QString clientId = m_outbox->enqueueLineRemoval(room, uuid, mayBeOnServer);
    if (!clientId.isEmpty())
        flushOutbox();
    return clientId;
}

bool ChatClient::listMessages(const QString &before, int limit)
{
    return send<Call::ListMessages>({before.isEmpty() ? std::nullopt : std::optional(before),
                                     limit > 0 ? std::optional(limit) : std::nullopt});
}

bool ChatClient::changeDrawLine(const Line &line, bool append)
{
    return send<Call::ChangeDrawLine>({line.uuid, line.points, line.color, line.tool,
                                       line.width > 0 ? std::optional(line.width) : std::nullopt,
                                       append});
}

bool ChatClient::getDrawing()
{
    return send<Call::GetDrawing>({});
}

bool ChatClient::resetDrawing()
{
    return send<Call::ResetDrawing>({});
}

bool ChatClient::sendTyping()
{
    // One notice per interval is enough (others show it for 4 s); keystrokes are not calls.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_lastTyping.isValid() && m_lastTyping.msecsTo(now) < kTypingIntervalMs &&
        m_lastTypingRoom == m_currentRoom)
        return true;
    if (!send<Call::Typing>({}))
        return false;
    m_lastTyping = now;
    m_lastTypingRoom = m_currentRoom;
    return true;
}

bool ChatClient::removeDrawLine(const QString &uuid)
{
    return send<Call::RemoveDrawLine>({uuid});
}

bool ChatClient::authenticate(const QString &password)
{
    return m_session.authenticate(password);
}

bool ChatClient::registerAccount(const QString &name, const QString &password)
{
    return send<Call::Register>({name, password});
}

bool ChatClient::login(const QString &name, const QString &password)
{
    return send<Call::Login>({name, password});
}

bool ChatClient::logout()
{
    return send<Call::Logout>({});
}

bool ChatClient::changePassword(const QString &oldPassword, const QString &newPassword)
{
    return send<Call::ChangePassword>({oldPassword, newPassword});
}

bool ChatClient::openDirect(const QString &userUuid)
{
    return send<Call::OpenDirect>({userUuid});
}

bool ChatClient::blockUser(const QString &userUuid)
{
    return send<Call::BlockUser>({userUuid});
}

bool ChatClient::unblockUser(const QString &userUuid)
{
    return send<Call::UnblockUser>({userUuid});
}

bool ChatClient::listUsers(const QString &query, const QString &after, int limit)
{
    ListUsersArgs args;
    if (!query.trimmed().isEmpty())
        args.query = query;
    if (!after.isEmpty())
        args.after = after;
    if (limit > 0)
        args.limit = limit;
    return send<Call::ListUsers>(args);
}

bool ChatClient::markRead(const QString &roomUuid, const QString &messageUuid)
{
    return send<Call::MarkRead>({roomUuid, messageUuid});
}

bool ChatClient::editMessage(const QString &messageUuid, const QString &body)
{
    const QString trimmed = body.trimmed();
    if (messageUuid.isEmpty() || trimmed.isEmpty())
        return false;
    return send<Call::EditMessage>({messageUuid, trimmed});
}

bool ChatClient::deleteMessage(const QString &messageUuid)
{
    if (messageUuid.isEmpty())
        return false;
    return send<Call::DeleteMessage>({messageUuid});
}

} // namespace chalk::client
