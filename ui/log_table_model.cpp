#include "log_table_model.h"

#include "client/log_model.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <optional>

namespace chalk::ui {

using client::LogModel;

namespace {
constexpr int kShownChars = 400;        // the full frame is in the details view and the saved file
constexpr int kSummarisedChars = 16384; // bigger frames (drawings) are not parsed per paint

// The frame's payload; nullopt for a frame too big to parse per paint (a drawing) or not JSON.
std::optional<QJsonObject> payloadOf(const QString &raw)
{
    if (raw.size() > kSummarisedChars)
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(raw.toUtf8());
    if (!doc.isObject() || !doc.object().value(QLatin1String("payload")).isObject())
        return std::nullopt;
    return doc.object().value(QLatin1String("payload")).toObject();
}

// The payload without the envelope and the statement name (both have their own columns):
// {"payload":{"message":"create_message","body":"hi"},"type":"call"} -> {"body":"hi"}.
QString payloadJson(const QString &raw)
{
    if (std::optional<QJsonObject> payload = payloadOf(raw)) {
        payload->remove(QLatin1String("message"));
        if (payload->isEmpty())
            return {};
        return QString::fromUtf8(QJsonDocument(*payload).toJson(QJsonDocument::Compact))
            .left(kShownChars);
    }
    QString shown = raw.left(kShownChars);
    shown.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return shown;
}
} // namespace

LogTableModel::LogTableModel(client::LogModel *source, QObject *parent)
    : QAbstractTableModel(parent)
    , m_source(source)
{
    connect(source, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex &, int first, int last) { beginInsertRows({}, first, last); });
    connect(source, &QAbstractItemModel::rowsInserted, this, [this] { endInsertRows(); });
    connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { beginRemoveRows({}, first, last); });
    connect(source, &QAbstractItemModel::rowsRemoved, this, [this] { endRemoveRows(); });
    connect(source, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(source, &QAbstractItemModel::modelReset, this, [this] { endResetModel(); });
    connect(source, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br) {
                emit dataChanged(index(tl.row(), 0), index(br.row(), ColumnCount - 1));
            });
}

void LogTableModel::setRoomNames(RoomNameLookup lookup)
{
    m_roomNames = std::move(lookup);
    if (rowCount() > 0)
        emit dataChanged(index(0, SummaryColumn), index(rowCount() - 1, SummaryColumn));
}

int LogTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_source ? 0 : m_source->rowCount();
}

int LogTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_source || !index.isValid() || index.row() >= m_source->rowCount())
        return {};
    const LogModel::Row &row = m_source->row(index.row());
    const bool sent = row.direction == client::ChatClient::Direction::Sent;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn:
            return row.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case DirectionColumn:
            return sent ? QStringLiteral("→") : QStringLiteral("←");
        case TypeColumn:
            return row.type;
        case NameColumn:
            return row.name;
        case SummaryColumn: {
            const std::optional<QJsonObject> payload = payloadOf(row.raw);
            return payload ? logSummary(sent, row.type, row.name, *payload, m_roomNames) : row.name;
        }
        case MessageColumn:
            return payloadJson(row.raw);
        }
    } else if (role == Qt::ToolTipRole && index.column() == DirectionColumn) {
        return sent ? tr("Sent") : tr("Received");
    } else if (role == Qt::TextAlignmentRole && index.column() == DirectionColumn) {
        return int(Qt::AlignCenter);
    } else if (role == Qt::UserRole) {
        return row.raw; // the whole frame, for the details view
    }
    return {};
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case DirectionColumn:
        return QStringLiteral("⇄");
    case TypeColumn:
        return tr("Type");
    case NameColumn:
        return tr("Statement");
    case SummaryColumn:
        return tr("What happened");
    case MessageColumn:
        return tr("JSON");
    }
    return {};
}

} // namespace chalk::ui
