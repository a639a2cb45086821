// ChatClient's call methods: one per call of the protocol, each naming its fields once.
#include "chat_client.h"

#include <QJsonArray>

namespace chalk::client {

using namespace protocol;

bool ChatClient::createRoom(const QString &name, const QString &color)
{
    QJsonObject f;
    if (!name.isEmpty())
        f.insert(QStringLiteral("name"), name);
    if (!color.isEmpty())
        f.insert(QStringLiteral("color"), color);
    return sendCall(Call::CreateRoom, f);
}

bool ChatClient::enterRoom(const QString &uuid)
{
    if (!sendCall(Call::EnterRoom, {{QStringLiteral("uuid"), uuid}}))
        return false;
    m_enteringRoom = uuid;
    return true;
}

bool ChatClient::leaveRoom()
{
    return sendCall(Call::LeaveRoom);
}

bool ChatClient::deleteRoom(const QString &uuid)
{
    return sendCall(Call::DeleteRoom, {{QStringLiteral("uuid"), uuid}});
}

bool ChatClient::listRooms()
{
    return sendCall(Call::ListRooms);
}

bool ChatClient::changeRoomColor(const QString &uuid, const QString &color)
{
    return sendCall(Call::ChangeColor,
                    {{QStringLiteral("uuid"), uuid}, {QStringLiteral("color"), color}});
}

bool ChatClient::changeRoomName(const QString &uuid, const QString &name)
{
    return sendCall(Call::ChangeName,
                    {{QStringLiteral("uuid"), uuid}, {QStringLiteral("name"), name}});
}

bool ChatClient::changeUserName(const QString &name)
{
    return sendCall(Call::ChangeUserName, {{QStringLiteral("name"), name}});
}

QString ChatClient::sendMessage(const QString &body)
{
    if (body.trimmed().isEmpty())
        return {};
    const QString room = !m_currentRoom.isEmpty() ? m_currentRoom : m_wantedRoom;
    if (room.isEmpty())
        return {};
    const QString clientId = m_outbox->enqueue(room, body);
    flushOutbox();
    return clientId;
}

bool ChatClient::listMessages(const QString &before, int limit)
{
    QJsonObject f;
    if (!before.isEmpty())
        f.insert(QStringLiteral("before"), before);
    if (limit > 0)
        f.insert(QStringLiteral("limit"), limit);
    return sendCall(Call::ListMessages, f);
}

bool ChatClient::changeDrawLine(const Line &line, bool append)
{
    QJsonArray points;
    for (double p : line.points)
        points.append(p);
    QJsonObject f{{QStringLiteral("uuid"), line.uuid},
                  {QStringLiteral("points"), points},
                  {QStringLiteral("color"), line.color},
                  {QStringLiteral("tool"), line.tool}};
    if (line.width > 0)
        f.insert(QStringLiteral("width"), line.width);
    if (append)
        f.insert(QStringLiteral("append"), true);
    return sendCall(Call::ChangeDrawLine, f);
}

bool ChatClient::getDrawing()
{
    return sendCall(Call::GetDrawing);
}

bool ChatClient::resetDrawing()
{
    return sendCall(Call::ResetDrawing);
}

bool ChatClient::sendTyping()
{
    // One notice per interval is enough (others show it for 4 s); keystrokes are not calls.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_lastTyping.isValid() && m_lastTyping.msecsTo(now) < kTypingIntervalMs &&
        m_lastTypingRoom == m_currentRoom)
        return true;
    if (!sendCall(Call::Typing))
        return false;
    m_lastTyping = now;
    m_lastTypingRoom = m_currentRoom;
    return true;
}

bool ChatClient::removeDrawLine(const QString &uuid)
{
    return sendCall(Call::RemoveDrawLine, {{QStringLiteral("uuid"), uuid}});
}

bool ChatClient::authenticate(const QString &password)
{
    return m_session.authenticate(password);
}

} // namespace chalk::client
