#include "stroke_sender.h"

#include "board_model.h"

namespace chalk::board {

StrokeSender::StrokeSender(BoardModel *model, DrawTransport *transport, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_transport(transport)
{
    m_timer.setInterval(40);
    connect(&m_timer, &QTimer::timeout, this, &StrokeSender::flush);
    connect(model, &BoardModel::strokeStarted, this, &StrokeSender::onStarted);
    connect(model, &BoardModel::strokeFinished, this, &StrokeSender::onFinished);
    connect(model, &BoardModel::strokeAbandoned, this, &StrokeSender::onAbandoned);
    connect(model, &BoardModel::removeRequested, this,
            [this](const QString &uuid) { m_transport->removeLine(uuid); });
    connect(model, &BoardModel::resetRequested, this, [this] { m_transport->resetDrawing(); });
}

void StrokeSender::onStarted(const QString &uuid)
{
    m_uuid = uuid;
    m_sent = 0;
    m_timer.start();
}

void StrokeSender::flush()
{
    if (m_uuid.isEmpty() || !m_model)
        return;
    const protocol::Line *line = m_model->line(m_uuid);
    if (!line || line->points.size() <= m_sent)
        return;
    protocol::Line out = *line;
    out.userUuid.clear(); // the server knows who we are
    const bool append = m_append && m_sent > 0;
    if (append)
        out.points = line->points.mid(m_sent);
    m_sent = line->points.size();
    m_transport->sendLine(out, append);
}

void StrokeSender::onFinished(const QString &uuid)
{
    if (uuid != m_uuid)
        return;
    m_timer.stop();
    m_uuid.clear();
    if (!m_model)
        return;
    if (const protocol::Line *line = m_model->line(uuid)) {
        protocol::Line out = *line;
        out.userUuid.clear();
        m_transport->finishLine(out);
    }
}

void StrokeSender::onAbandoned(const QString &uuid)
{
    if (uuid != m_uuid)
        return;
    m_timer.stop();
    m_uuid.clear();
}

} // namespace chalk::board
