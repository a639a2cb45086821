#include "log_model.h"

#include <QSaveFile>

namespace chalk::client {

LogModel::LogModel(ChatClient *client, int capacity, QObject *parent)
    : QAbstractListModel(parent)
    , m_capacity(std::max(1, capacity))
{
    if (client)
        connect(client, &ChatClient::statementLogged, this, &LogModel::append);
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return formatRow(r);
    case TimeRole:
        return r.time;
    case DirectionRole:
        return int(r.direction);
    case TypeRole:
        return r.type;
    case NameRole:
        return r.name;
    case RawRole:
        return r.raw;
    default:
        return {};
    }
}

QHash<int, QByteArray> LogModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"}, {TimeRole, "time"}, {DirectionRole, "direction"},
            {TypeRole, "type"},           {NameRole, "name"}, {RawRole, "raw"}};
}

QString LogModel::formatRow(const Row &row)
{
    return QStringLiteral("%1  %2 %3 %4  %5")
        .arg(row.time.toUTC().toString(Qt::ISODateWithMs),
             row.direction == ChatClient::Direction::Sent ? QStringLiteral("->")
                                                          : QStringLiteral("<-"),
             row.type, row.name, row.raw);
}

void LogModel::append(ChatClient::Direction direction, const QString &type, const QString &name,
                      const QString &raw, const QDateTime &time)
{
    if (int(m_rows.size()) >= m_capacity) {
        // A ring: the oldest row makes room, so memory stays flat however long the session.
        const int drop = int(m_rows.size()) - m_capacity + 1;
        beginRemoveRows({}, 0, drop - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + drop);
        endRemoveRows();
    }
    // A drawing can be megabytes: the log keeps its start, so 5000 rows stay small.
    QString kept = raw;
    if (kept.size() > kMaxRawChars) {
        kept = raw.left(kMaxRawChars) + QStringLiteral("… (%1 characters in all)").arg(raw.size());
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back(Row{time, direction, type, name, kept});
    endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

bool LogModel::saveToFile(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    for (const Row &r : m_rows) {
        file.write(formatRow(r).toUtf8());
        file.write("\n");
    }
    return file.commit();
}

} // namespace chalk::client
