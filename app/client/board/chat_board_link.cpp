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
    connect(client, &ChatClient::drawingGot, this, &ChatBoardLink::onDrawingGot);
    connect(client, &ChatClient::boardCleared, this,
            [this](const protocol::User &by, bool byMe) { emit cleared(by.name, byMe); });
    connect(client, &ChatClient::drawLineChanged, model, &BoardModel::upsertLine);
    connect(client, &ChatClient::drawLineRemoved, model, &BoardModel::removeLine);
    connect(client, &ChatClient::serverFeaturesLearned, this, &ChatBoardLink::onFeaturesLearned);
    connect(client, &ChatClient::callErrorReceived, this, &ChatBoardLink::onError);
    client::Outbox *outbox = client->outbox();
    connect(outbox, &client::Outbox::entryFailed, this,
            [this](const client::OutboxEntry &e, const QString &error, const QString &detail) {
                // A queued line the server refused for good: off our board, as others never
                // see it. (A line withdrawn by an undo before it was sent is already gone.)
                if (e.kind == client::OutboxKind::Line && error != QLatin1String("withdrawn") &&
                    m_model) {
                    m_model->removeLine(e.line.uuid);
                    emit lineRefused(error, detail);
                }
            });
    connect(outbox, &client::Outbox::entryAdded, this, &ChatBoardLink::reportOffline);
    connect(outbox, &client::Outbox::entryFailed, this, &ChatBoardLink::reportOffline);
    connect(outbox, &client::Outbox::entryAcknowledged, this, &ChatBoardLink::reportOffline);
    connect(client, &ChatClient::stateChanged, this, &ChatBoardLink::reportOffline);
    connect(client, &ChatClient::roomEntered, this, &ChatBoardLink::reportOffline);
    if (client->serverFeatures().known())
        onFeaturesLearned();
    reportOffline();
}

bool ChatBoardLink::isOffline() const
{
    return !m_client || !m_client->isConnected();
}

int ChatBoardLink::waitingCount() const
{
    if (!m_client)
        return 0;
    const client::Outbox *outbox = m_client->outbox();
    return int(outbox->count(client::OutboxKind::Line) +
               outbox->count(client::OutboxKind::LineRemoval));
}

void ChatBoardLink::reportOffline()
{
    const bool offline = isOffline();
    const int waiting = waitingCount();
    if (offline == m_offline && waiting == m_waiting)
        return;
    m_offline = offline;
    m_waiting = waiting;
    emit offlineChanged(offline, waiting);
}

void ChatBoardLink::onDrawingGot(const protocol::Drawing &drawing)
{
    m_liveSent.clear(); // another room or a new link: what the server has is in `drawing`
    if (!m_model)
        return;
    m_model->setDrawing(drawing);
    if (!m_client)
        return;
    // What waits in the outbox for this room stays on show until the server has it (after
    // a reconnect the drawing_got is older than our queued lines, which follow it).
    for (const client::OutboxEntry &e : m_client->outbox()->entries()) {
        if (e.roomUuid != m_client->currentRoomUuid())
            continue;
        if (e.kind == client::OutboxKind::Line) {
            protocol::Line line = e.line;
            line.userUuid = m_client->user().uuid;
            m_model->upsertLine(line);
        } else if (e.kind == client::OutboxKind::LineRemoval) {
            m_model->removeLine(e.line.uuid);
        }
    }
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
    // An error with a client_id answers an outbox entry: the outbox's entryFailed handles it.
    if (error.callName != protocol::name(protocol::Call::ChangeDrawLine) || m_lastSent.isEmpty() ||
        !m_model || !error.clientId.isEmpty())
        return;
    // Nothing of that line is on the server (or never will be): others do not see it, so
    // neither should we.
    m_model->removeLine(m_lastSent);
    emit lineRefused(protocol::name(error.error), error.detail);
}

void ChatBoardLink::sendLine(const protocol::Line &line, bool append)
{
    // Live chunks are not queued: offline they go nowhere, and finishLine queues the whole.
    if (m_client && m_client->changeDrawLine(line, append)) {
        m_lastSent = line.uuid;
        m_liveSent.insert(line.uuid);
    }
}

void ChatBoardLink::finishLine(const protocol::Line &line)
{
    if (m_client)
        m_client->queueDrawLine(line);
}

void ChatBoardLink::removeLine(const QString &uuid)
{
    if (!m_client)
        return;
    const bool sent = !m_client->queueRemoveDrawLine(uuid, m_liveSent.contains(uuid)).isEmpty();
    m_liveSent.remove(uuid);
    // No echo will come (nothing sent, or not before the reconnect): off our board now.
    if ((!sent || isOffline()) && m_model)
        m_model->removeLine(uuid);
}

void ChatBoardLink::resetDrawing()
{
    // Clearing wipes what others drew meanwhile; done blindly after a reconnect it could wipe
    // strokes its author never saw, so it waits for the link instead of being queued.
    if (!m_client || !m_client->isConnected() || m_client->currentRoomUuid().isEmpty()) {
        emit offlineRefused(tr("Offline: the board can be cleared once the connection is back"));
        return;
    }
    m_client->resetDrawing();
}

void ChatBoardLink::requestDrawing()
{
    if (m_client)
        m_client->getDrawing();
}

} // namespace chalk::board
