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
    // Until the server says what it supports, strokes are streamed as whole lines.
    m_sender.setAppendSupported(false);
    model->setUserUuid(client->user().uuid);
    connect(client, &ChatClient::userChanged, model,
            [model](const protocol::User &user) { model->setUserUuid(user.uuid); });
    connect(client, &ChatClient::roomEntered, model, [model] { model->reset(); });
    connect(client, &ChatClient::roomLeft, model, [model] { model->reset(); });
    connect(client, &ChatClient::drawingGot, model, &BoardModel::setDrawing);
    connect(client, &ChatClient::drawLineChanged, model, &BoardModel::upsertLine);
    connect(client, &ChatClient::drawLineRemoved, model, &BoardModel::removeLine);
    connect(client, &ChatClient::serverFeaturesLearned, this, &ChatBoardLink::onFeaturesLearned);
    connect(client, &ChatClient::callErrorReceived, this, &ChatBoardLink::onError);
    if (client->serverFeatures().known())
        onFeaturesLearned();
}

void ChatBoardLink::onFeaturesLearned()
{
    if (!m_client)
        return;
    // The original server would store an appended chunk as the whole line, and has no undo.
    const client::ServerFeatures &features = m_client->serverFeatures();
    m_sender.setAppendSupported(features.supports(client::Feature::AppendLines));
    if (m_model)
        m_model->setUndoSupported(features.supports(client::Feature::RemoveLines));
}

void ChatBoardLink::onError(const protocol::CallError &error)
{
    if (error.callName != protocol::name(protocol::Call::ChangeDrawLine) || m_lastSent.isEmpty() ||
        !m_model)
        return;
    // Nothing of that line is on the server (or never will be): others do not see it, so
    // neither should we.
    m_model->removeLine(m_lastSent);
    emit lineRefused(protocol::name(error.error), error.detail);
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
