#include "board_model.h"

#include "board_canvas.h"

#include <cmath>

namespace chalk::board {

using protocol::Line;

namespace {

constexpr qsizetype kMaxRedo = 100; // undone strokes kept for redo

double snap(double v)
{
    return std::round(v / kCoordinateStep) * kCoordinateStep;
}

bool sameStyle(const Line &a, const Line &b)
{
    return a.tool == b.tool && a.color.compare(b.color, Qt::CaseInsensitive) == 0 &&
           effectiveWidth(a) == effectiveWidth(b);
}

// Number of leading x,y pairs two point lists share.
int commonPrefixPoints(const QList<double> &a, const QList<double> &b)
{
    const qsizetype n = std::min(a.size(), b.size()) / 2;
    for (qsizetype i = 0; i < n; ++i) {
        if (a[2 * i] != b[2 * i] || a[2 * i + 1] != b[2 * i + 1])
            return int(i);
    }
    return int(n);
}

} // namespace

BoardModel::BoardModel(QObject *parent)
    : QObject(parent)
{}

void BoardModel::setUserUuid(const QString &uuid)
{
    m_userUuid = uuid;
}

void BoardModel::setMaxPointsPerLine(int points)
{
    m_maxPoints = std::max(2, points);
}

const Line *BoardModel::line(const QString &uuid) const
{
    const auto it = m_index.constFind(uuid);
    return it == m_index.cend() ? nullptr : &m_lines.at(*it);
}

protocol::Drawing BoardModel::drawing() const
{
    protocol::Drawing d;
    d.lines = m_lines;
    return d;
}

void BoardModel::appendLine(const Line &line)
{
    m_index.insert(line.uuid, m_lines.size());
    m_lines.append(line);
    emit lineAdded(line.uuid);
}

void BoardModel::insertLine(qsizetype at, const Line &line)
{
    m_lines.insert(at, line);
    for (qsizetype i = at; i < m_lines.size(); ++i)
        m_index[m_lines[i].uuid] = i;
    emit lineAdded(line.uuid);
}

qsizetype BoardModel::serverBoundary() const
{
    qsizetype at = m_lines.size();
    for (const QString &uuid : m_unechoed)
        at = std::min(at, m_index.value(uuid, at));
    return at;
}

void BoardModel::setDrawing(const protocol::Drawing &drawing)
{
    // A reconnect's drawing_got may arrive while the user draws: the stroke under the pointer
    // survives if the server knows it (our copy is ahead of the server's), else it is gone.
    Line live;
    const bool keepLive = !m_live.isEmpty() && line(m_live) != nullptr &&
                          std::any_of(drawing.lines.cbegin(), drawing.lines.cend(),
                                      [&](const Line &l) { return l.uuid == m_live; });
    if (keepLive)
        live = *line(m_live);
    else
        abandonLive();

    m_lines.clear();
    m_index.clear();
    m_undoing.clear();
    m_unechoed.clear(); // the server's order, from here on
    emit cleared();
    emit loadingStarted();
    for (const Line &l : drawing.lines) {
        if (l.uuid.isEmpty() || m_index.contains(l.uuid))
            continue;
        if (keepLive && l.uuid == live.uuid) {
            appendLine(live);
            continue;
        }
        // An own line that was in flight is now whatever the server says.
        m_inFlight.remove(l.uuid);
        appendLine(l);
    }
    emit loadingFinished();
}

void BoardModel::upsertLine(const Line &incoming)
{
    const auto it = m_index.constFind(incoming.uuid);
    if (it == m_index.cend()) {
        if (incoming.uuid.isEmpty())
            return;
        const qsizetype at = serverBoundary();
        if (at < m_lines.size())
            insertLine(at, incoming);
        else
            appendLine(incoming);
        return;
    }
    Line &current = m_lines[*it];
    m_unechoed.remove(incoming.uuid);
    if (m_inFlight.contains(incoming.uuid)) {
        // Our own line: until the echo of the final, full line comes back, every echo is of
        // something older than what is drawn here (or, from an original server, of an
        // appended chunk only). Showing it would make the stroke flicker.
        if (incoming.uuid != m_live && sameStyle(incoming, current) &&
            incoming.points == current.points)
            m_inFlight.remove(incoming.uuid);
        return;
    }
    const bool styleChanged = !sameStyle(incoming, current);
    const int prefix = commonPrefixPoints(current.points, incoming.points);
    const bool pointsChanged = incoming.points != current.points;
    if (!styleChanged && !pointsChanged)
        return;
    current = incoming;
    emit lineUpdated(incoming.uuid, styleChanged ? 0 : prefix);
}

void BoardModel::removeLine(const QString &uuid)
{
    const auto it = m_index.constFind(uuid);
    if (it == m_index.cend())
        return;
    if (uuid == m_live)
        abandonLive();
    const qsizetype at = *it;
    const Line removed = m_lines.takeAt(at);
    m_index.remove(uuid);
    for (qsizetype i = at; i < m_lines.size(); ++i)
        m_index[m_lines[i].uuid] = i;
    m_inFlight.remove(uuid);
    m_unechoed.remove(uuid);
    if (m_undoing.remove(uuid)) {
        // Our undo, confirmed: it can be redone.
        m_redo.append(removed);
        if (m_redo.size() > kMaxRedo)
            m_redo.removeFirst();
    }
    emit lineRemoved(uuid, int(at));
}

void BoardModel::reset()
{
    abandonLive();
    m_lines.clear();
    m_index.clear();
    m_inFlight.clear();
    m_unechoed.clear();
    m_undoing.clear();
    m_redo.clear(); // a wiped board does not bring strokes back one by one
    emit cleared();
}

void BoardModel::abandonLive()
{
    if (m_live.isEmpty())
        return;
    const QString uuid = m_live;
    m_live.clear();
    m_inFlight.remove(uuid);
    m_unechoed.remove(uuid);
    emit strokeAbandoned(uuid);
}

QString BoardModel::beginStroke(const QString &tool, const QString &color, double width)
{
    m_redo.clear(); // as in any editor: something new drawn, the undone strokes stay undone
    return startLine(tool, color, width);
}

QString BoardModel::startLine(const QString &tool, const QString &color, double width)
{
    if (!m_live.isEmpty())
        endStroke();
    Line l;
    l.uuid = protocol::newUuid();
    l.tool = tool == eraserTool() ? QString(eraserTool()) : QString(penTool());
    l.color = color.toLower(); // the server stores colours lower case: the echo must match
    l.width = width > 0 ? width : 0;
    l.userUuid = m_userUuid;
    m_live = l.uuid;
    m_ownUuids.insert(l.uuid);
    m_inFlight.insert(l.uuid);
    m_unechoed.insert(l.uuid);
    appendLine(l);
    emit strokeStarted(l.uuid);
    return l.uuid;
}

void BoardModel::appendPoint(Line &line, double x, double y)
{
    line.points.append(x);
    line.points.append(y);
}

void BoardModel::extendStroke(QPointF point)
{
    extendStroke(QList<double>{point.x(), point.y()});
}

void BoardModel::extendStroke(const QList<double> &xy)
{
    if (m_live.isEmpty())
        return;
    for (qsizetype i = 0; i + 1 < xy.size(); i += 2) {
        if (m_live.isEmpty())
            return;
        const double x = snap(xy[i]);
        const double y = snap(xy[i + 1]);
        Line *l = &m_lines[m_index.value(m_live)];
        const qsizetype n = l->points.size();
        // A repeated point adds nothing to the stroke but bytes on the wire.
        if (n >= 2 && l->points[n - 2] == x && l->points[n - 1] == y)
            continue;
        if (n / 2 >= m_maxPoints) {
            // The server bounds points per line: carry on seamlessly in a new line that
            // starts where this one ended.
            const Line style = *l;
            const double lx = l->points[n - 2], ly = l->points[n - 1];
            endStroke();
            startLine(style.tool, style.color, style.width);
            l = &m_lines[m_index.value(m_live)];
            appendPoint(*l, lx, ly);
            appendPoint(*l, x, y);
            emit lineUpdated(m_live, 0);
            continue;
        }
        appendPoint(*l, x, y);
        emit lineUpdated(m_live, int(n / 2));
    }
}

void BoardModel::endStroke()
{
    if (m_live.isEmpty())
        return;
    const QString uuid = m_live;
    m_live.clear();
    const Line *l = line(uuid);
    if (l && l->points.isEmpty()) {
        // Nothing drawn: never sent, so nothing to undo or to echo.
        m_inFlight.remove(uuid);
        m_ownUuids.remove(uuid);
        emit strokeAbandoned(uuid);
        removeLine(uuid);
        return;
    }
    emit strokeFinished(uuid);
}

bool BoardModel::isOwn(const Line &line) const
{
    return (!m_userUuid.isEmpty() && line.userUuid == m_userUuid) || m_ownUuids.contains(line.uuid);
}

QString BoardModel::lastOwnLine() const
{
    for (qsizetype i = m_lines.size() - 1; i >= 0; --i) {
        const Line &l = m_lines[i];
        if (l.uuid != m_live && !m_undoing.contains(l.uuid) && isOwn(l))
            return l.uuid;
    }
    return {};
}

bool BoardModel::requestUndo()
{
    const QString uuid = m_undoSupported ? lastOwnLine() : QString();
    if (uuid.isEmpty())
        return false;
    m_undoing.insert(uuid);
    emit removeRequested(uuid);
    return true;
}

bool BoardModel::requestRedo()
{
    if (!canRedo())
        return false;
    endStroke();
    const Line undone = m_redo.takeLast();
    const QString uuid = startLine(undone.tool, undone.color, undone.width);
    m_lines[m_index.value(uuid)].points = undone.points;
    emit lineUpdated(uuid, 0);
    endStroke();
    return true;
}

void BoardModel::requestClear()
{
    emit resetRequested();
}

} // namespace chalk::board
