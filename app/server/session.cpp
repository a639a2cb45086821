#include "session.h"

#include <QWebSocket>

namespace chalk::server {

Session::Session(QWebSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
}

Session::~Session() = default;

void Session::send(const QString &frame, const QString &messageUuid)
{
    if (m_closed)
        return;
    if (m_holding) {
        m_held.append({frame, messageUuid});
        return;
    }
    m_socket->sendTextMessage(frame);
}

void Session::sendDirect(const QString &frame)
{
    if (!m_closed)
        m_socket->sendTextMessage(frame);
}

void Session::hold()
{
    m_holding = true;
}

void Session::release(const QSet<QString> &alreadySent)
{
    m_holding = false;
    const QList<Held> held = std::exchange(m_held, {});
    for (const Held &h : held) {
        if (!h.messageUuid.isEmpty() && alreadySent.contains(h.messageUuid))
            continue;
        send(h.frame);
    }
}

void Session::close(int code, const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

} // namespace chalk::server
