// Rooms sorted by creation time (oldest first, as the original lists them) and filtered by a
// search on the name that ignores case and accents ("cafe" finds "Café").
#pragma once

#include <QSortFilterProxyModel>

namespace chalk::client {

class RoomFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RoomFilterProxyModel(QObject *parent = nullptr);

    QString searchText() const { return m_search; }
    // The form names and the search are compared in: case-folded, accents (combining marks
    // after canonical decomposition) removed.
    static QString folded(const QString &text);

public slots:
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_search;
    QString m_folded; // folded(m_search)
};

} // namespace chalk::client
