#include "room_filter_proxy_model.h"

#include "room_list_model.h"

#include <QDateTime>

namespace chalk::client {

RoomFilterProxyModel::RoomFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortRole(RoomListModel::CreatedRole);
    sort(0, Qt::AscendingOrder);
}

QString RoomFilterProxyModel::folded(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c);
    }
    return out.toCaseFolded();
}

void RoomFilterProxyModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
    beginFilterChange();
    m_search = trimmed;
    m_folded = folded(trimmed);
    endFilterChange();
#else
    m_search = trimmed;
    m_folded = folded(trimmed);
    invalidateFilter();
#endif
}

bool RoomFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_search.isEmpty())
        return true;
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    return folded(i.data(RoomListModel::NameRole).toString()).contains(m_folded);
}

bool RoomFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QDateTime l = left.data(RoomListModel::CreatedRole).toDateTime();
    const QDateTime r = right.data(RoomListModel::CreatedRole).toDateTime();
    if (l != r) {
        // Rooms without a time (the original server) keep the server's order, after the others.
        if (!l.isValid() || !r.isValid())
            return l.isValid();
        return l < r;
    }
    // Equal times (or none): the order the server listed them in.
    return left.row() < right.row();
}

} // namespace chalk::client
