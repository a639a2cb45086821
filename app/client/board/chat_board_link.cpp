#include "chat_board_link.h"

#include "board_model.h"
#include "chat_client.h"

namespace chalk::board {

using client::ChatClient;

ChatBoardLink::ChatBoardLink(ChatClient *client, BoardModel *model, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_model(model)
    , m_sender(model, this)
{
    // Until a server shows it is ours, strokes are streamed as whole lines (see onEnvelope).
    m_sender.setAppendSupported(false);
    model->setUserUuid(client->user().uuid);
    connect(client, &ChatClient::userChanged, model,
            [model](const protocol::User &user) { model->setUserUuid(user.uuid); });
    connect(client, &ChatClient::roomEntered, model, [model] { model->reset(); });
    connect(client, &ChatClient::roomLeft, model, [model] { model->reset(); });
    connect(client, &ChatClient::drawingGot, model, &BoardModel::setDrawing);
    connect(client, &ChatClient::drawLineChanged, model, &BoardModel::upsertLine);
    connect(client, &ChatClient::drawLineRemoved, model, &BoardModel::removeLine);
    connect(client, &ChatClient::envelopeReceived, this, &ChatBoardLink::onEnvelope);
    connect(client, &ChatClient::errorReceived, this, &ChatBoardLink::onError);
}

void ChatBoardLink::onEnvelope(const protocol::Envelope &envelope)
{
    // Our server hands out a resume token with the identity; the original server does not,
    // and would store an appended chunk as the whole line.
    bool ours = false;
    if (envelope.message == protocol::name(protocol::Result::UserCreated))
        ours = envelope.payload.contains(QLatin1String("token"));
    else if (envelope.message == protocol::name(protocol::Result::Resumed))
        ours = true;
    else
        return;
    m_sender.setAppendSupported(ours);
    if (m_model)
        m_model->setUndoSupported(ours);
}

void ChatBoardLink::onError(const QString &error, const QString &detail, const QString &call)
{
    if (call != protocol::name(protocol::Call::ChangeDrawLine) || m_lastSent.isEmpty() || !m_model)
        return;
    // Nothing of that line is on the server (or never will be): others do not see it, so
    // neither should we.
    m_model->removeLine(m_lastSent);
    emit lineRefused(error, detail);
}

void ChatBoardLink::sendLine(const protocol::Line &line, bool append)
{
    m_lastSent = line.uuid;
    if (m_client)
        m_client->changeDrawLine(line, append);
}

void ChatBoardLink::removeLine(const QString &uuid)
{
    if (m_client)
        m_client->removeDrawLine(uuid);
}

void ChatBoardLink::resetDrawing()
{
    if (m_client)
        m_client->resetDrawing();
}

void ChatBoardLink::requestDrawing()
{
    if (m_client)
        m_client->getDrawing();
}

} // namespace chalk::board
