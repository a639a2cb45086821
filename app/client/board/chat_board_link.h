// The one place where the board meets the ChatClient: server statements go into the
// BoardModel, the model's strokes and requests go out as calls (through a StrokeSender).
#pragma once

#include "draw_transport.h"
#include "protocol/codec.h"
#include "stroke_sender.h"

#include <QObject>
#include <QPointer>

namespace chalk::client {
class ChatClient;
}

namespace chalk::board {

class BoardModel;

class ChatBoardLink : public QObject, public DrawTransport {
    Q_OBJECT
public:
    ChatBoardLink(client::ChatClient *client, BoardModel *model, QObject *parent = nullptr);

    StrokeSender *sender() { return &m_sender; }

    void sendLine(const protocol::Line &line, bool append) override;
    void removeLine(const QString &uuid) override;
    void resetDrawing() override;
    void requestDrawing() override;

signals:
    // The server refused a line of ours (e.g. too_many_lines); it was taken off the board.
    void lineRefused(const QString &error, const QString &detail);

private:
    void onFeaturesLearned();
    void onError(const protocol::CallError &error);

    QPointer<client::ChatClient> m_client;
    QPointer<BoardModel> m_model;
    StrokeSender m_sender;
    QString m_lastSent; // the line of our last change_draw_line
};

} // namespace chalk::board
