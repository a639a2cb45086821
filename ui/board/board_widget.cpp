#include "board_widget.h"

#include "board/board_canvas.h"
#include "board/board_model.h"
#include "board_colors.h"
#include "board_scene.h"
#include "board_view.h"
#include "protocol/colors.h"

#include <QAction>
#include <QActionGroup>
#include <QColorDialog>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QStandardPaths>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace chalk::ui {

namespace {

// A swatch: the colour over a checkerboard, so translucent ink shows as translucent.
QIcon swatchIcon(const QColor &color)
{
    QPixmap pm(18, 18);
    pm.fill(Qt::white);
    QPainter p(&pm);
    p.fillRect(9, 0, 9, 9, QColor(0xcc, 0xcc, 0xcc));
    p.fillRect(0, 9, 9, 9, QColor(0xcc, 0xcc, 0xcc));
    p.fillRect(pm.rect(), color);
    p.setPen(QColor(0x55, 0x55, 0x55));
    p.drawRect(pm.rect().adjusted(0, 0, -1, -1));
    return QIcon(pm);
}

constexpr double kWidths[] = {2, 5, 10, 20, 50};

} // namespace

BoardWidget::BoardWidget(board::BoardModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_scene(new BoardScene(model, this))
    , m_view(new BoardView(m_scene, this))
    , m_penWidth(board::kDefaultPenWidth)
    , m_eraserWidth(board::kDefaultEraserWidth)
{
    m_view->setObjectName(QStringLiteral("boardView"));

    auto *tools = new QToolBar(tr("Drawing tools"), this);
    tools->setObjectName(QStringLiteral("boardTools"));
    auto *toolGroup = new QActionGroup(this);
    m_pen = tools->addAction(tr("Pen"));
    m_pen->setObjectName(QStringLiteral("boardPen"));
    m_pen->setToolTip(tr("Pen: draw with the chosen colour"));
    m_eraser = tools->addAction(tr("Eraser"));
    m_eraser->setObjectName(QStringLiteral("boardEraser"));
    m_eraser->setToolTip(tr("Eraser: rub ink off the board"));
    for (QAction *a : {m_pen, m_eraser}) {
        a->setCheckable(true);
        toolGroup->addAction(a);
    }
    m_pen->setChecked(true);
    connect(m_pen, &QAction::triggered, this, [this] { setTool(board::penTool()); });
    connect(m_eraser, &QAction::triggered, this, [this] { setTool(board::eraserTool()); });

    tools->addSeparator();
    m_width = new QComboBox(tools);
    m_width->setObjectName(QStringLiteral("boardWidth"));
    m_width->setToolTip(tr("Stroke width"));
    for (double w : kWidths)
        m_width->addItem(tr("%1 px").arg(w), w);
    tools->addWidget(m_width);
    connect(m_width, &QComboBox::activated, this,
            [this](int i) { setStrokeWidth(m_width->itemData(i).toDouble()); });

    tools->addSeparator();
    QAction *undo = tools->addAction(tr("Undo my stroke"), this, &BoardWidget::undoLastStroke);
    undo->setObjectName(QStringLiteral("boardUndo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    undo->setToolTip(tr("Take back your most recent stroke (everyone sees it go)"));
    QAction *clear = tools->addAction(tr("Clear…"), this, &BoardWidget::clearWithConfirmation);
    clear->setObjectName(QStringLiteral("boardClear"));
    clear->setToolTip(tr("Wipe the board for everyone in the room"));
    QAction *save = tools->addAction(tr("Export PNG…"), this, &BoardWidget::exportWithDialog);
    save->setObjectName(QStringLiteral("boardExport"));
    m_notice = new QLabel(tools);
    m_notice->setObjectName(QStringLiteral("boardNotice"));
    m_notice->setTextFormat(Qt::PlainText);
    tools->addSeparator();
    tools->addWidget(m_notice);

    auto *palette = new QToolBar(tr("Colours"), this);
    palette->setObjectName(QStringLiteral("boardPalette"));
    palette->setIconSize(QSize(18, 18));
    m_swatches = new QActionGroup(this);
    const QStringList &colors = protocol::drawingPalette();
    for (int i = 0; i < colors.size(); ++i)
        palette->addWidget(swatchButton(colors[i], i));
    m_custom = new QToolButton(palette);
    m_custom->setObjectName(QStringLiteral("boardCustomColor"));
    m_custom->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_custom->setText(tr("Custom…"));
    m_custom->setToolTip(tr("Pick any colour, with transparency"));
    connect(m_custom, &QToolButton::clicked, this, &BoardWidget::chooseCustomColor);
    palette->addSeparator();
    palette->addWidget(m_custom);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(tools);
    layout->addWidget(palette);
    layout->addWidget(m_view, 1);

    setInkColor(QString(protocol::defaultInk()));
    setTool(board::penTool());
}

QToolButton *BoardWidget::swatchButton(const QString &color, int index)
{
    auto *action = new QAction(swatchIcon(colorFromHex(color)), color, this);
    action->setObjectName(QStringLiteral("boardSwatch%1").arg(index));
    action->setCheckable(true);
    action->setData(color.toLower());
    action->setToolTip(color);
    m_swatches->addAction(action);
    connect(action, &QAction::triggered, this, [this, color] {
        setInkColor(color);
        setTool(board::penTool()); // picking a colour means drawing with it, as the original
    });
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    return button;
}

QString BoardWidget::tool() const
{
    return m_view->tool();
}
QString BoardWidget::inkColor() const
{
    return m_view->inkColor();
}
double BoardWidget::strokeWidth() const
{
    return m_view->strokeWidth();
}

void BoardWidget::setTool(const QString &tool)
{
    const bool eraser = tool == board::eraserTool();
    m_view->setTool(eraser ? QString(board::eraserTool()) : QString(board::penTool()));
    (eraser ? m_eraser : m_pen)->setChecked(true);
    // Each tool keeps its own width (the original: pen 5, eraser 50).
    m_view->setStrokeWidth(eraser ? m_eraserWidth : m_penWidth);
    syncWidthBox();
}

void BoardWidget::setInkColor(const QString &color)
{
    const QColor c = colorFromHex(color);
    if (!c.isValid())
        return;
    m_view->setInkColor(color.toLower());
    m_custom->setIcon(swatchIcon(c));
    bool inPalette = false;
    for (QAction *a : m_swatches->actions()) {
        const bool match = a->data().toString() == color.toLower();
        a->setChecked(match);
        inPalette |= match;
    }
    if (!inPalette && m_swatches->checkedAction())
        m_swatches->checkedAction()->setChecked(false);
}

void BoardWidget::setStrokeWidth(double width)
{
    if (!(width > 0))
        return;
    (m_view->tool() == board::eraserTool() ? m_eraserWidth : m_penWidth) = width;
    m_view->setStrokeWidth(width);
    syncWidthBox();
}

void BoardWidget::syncWidthBox()
{
    const int i = m_width->findData(m_view->strokeWidth());
    if (i >= 0)
        m_width->setCurrentIndex(i);
}

void BoardWidget::chooseCustomColor()
{
    const QColor c = QColorDialog::getColor(colorFromHex(m_view->inkColor()), this,
                                            tr("Ink colour"), QColorDialog::ShowAlphaChannel);
    if (!c.isValid())
        return;
    setInkColor(hexFromColor(c));
    setTool(board::penTool());
}

void BoardWidget::undoLastStroke()
{
    if (m_model && !m_model->requestUndo())
        showNotice(m_model->undoSupported() ? tr("No stroke of yours to take back")
                                            : tr("This server cannot take strokes back"));
}

void BoardWidget::clearWithConfirmation()
{
    if (!m_model)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Clear the board"),
        tr("Wipe the board for everyone in this room? This cannot be undone."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        m_model->requestClear();
}

void BoardWidget::exportWithDialog()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the board"), dir + QStringLiteral("/board.png"), tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    if (!exportPng(path))
        QMessageBox::warning(this, tr("Export the board"), tr("Could not write %1").arg(path));
}

bool BoardWidget::exportPng(const QString &path, double scale)
{
    return m_scene->renderImage(scale).save(path, "PNG");
}

void BoardWidget::showNotice(const QString &text)
{
    m_notice->setText(text);
    QTimer::singleShot(5000, m_notice, [label = m_notice, text] {
        if (label->text() == text)
            label->clear();
    });
}

} // namespace chalk::ui
