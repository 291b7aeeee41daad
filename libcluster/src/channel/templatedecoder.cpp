// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// TemplateDecoder: walks the new message and the template's bytes side by side. Strings, byte
// strings and the heads of maps and arrays must be the same bytes; a number, boolean or null
// that differs is decoded (as fromCbor() would) and written over the template's element in a
// copy (a map key that differs counts as another shape: QCborMap cannot replace one). Anything else
// (tags, indefinite lengths, a string that differs) falls back to MessageDecoder, whose result
// becomes the next template.
#include "channel/templatedecoder.h"

#include "channel/messagedecoder.h"

#include <QCborArray>
#include <QCborMap>
#include <QVarLengthArray>

#include <cstring>
#include <limits>
#include <utility>

namespace LibCluster::Internal {

namespace {

// Deeper values are decoded afresh (MessageDecoder has the same limit).
constexpr int MaxDepth = 64;

enum class Match {
    Different, // not the template's shape: decode afresh
    Same, // the same bytes as the template's
    Patched, // the template's shape, with other scalars: the value is given
};

struct Head
{
    const uchar *begin;
    quint8 major;
    quint8 info;
    quint64 argument;
};

class Comparer
{
public:
    Comparer(const QByteArray &message, const QByteArray &templateBytes)
        : m_pos(reinterpret_cast<const uchar *>(message.constData()))
        , m_end(m_pos + message.size())
        , m_tpos(reinterpret_cast<const uchar *>(templateBytes.constData()))
        , m_tend(m_tpos + templateBytes.size())
    { }

    // The whole message against the whole template, `value`.
    Match compare(const QCborValue &value, QCborValue *out)
    {
        Head head;
        Head templateHead;
        if (!readHead(&m_pos, m_end, &head) || !readHead(&m_tpos, m_tend, &templateHead)
            || !sameHead(head, m_pos, templateHead, m_tpos) || (head.major != 4 && head.major != 5))
            return Match::Different;
        const Match match = body(value, head, out, 0);
        if (m_pos != m_end || m_tpos != m_tend)
            return Match::Different;
        return match;
    }

private:
    // The items of a map or an array whose head (the same in both) has just been read;
    // `value` is the template's container.
    Match body(const QCborValue &value, const Head &head, QCborValue *out, int depth)
    {
        if (depth >= MaxDepth)
            return Match::Different;
        const quint64 items = head.major == 5 ? 2 * head.argument : head.argument;
        QVarLengthArray<std::pair<qsizetype, QCborValue>, 4> patches;
        for (quint64 i = 0; i < items; ++i) {
            QCborValue patch;
            switch (item(value, qsizetype(i), &patch, depth)) {
            case Match::Different:
                return Match::Different;
            case Match::Same:
                break;
            case Match::Patched:
                // QCborMap gives no way to replace a key in place.
                if (head.major == 5 && i % 2 == 0)
                    return Match::Different;
                patches.append({ qsizetype(i), std::move(patch) });
                break;
            }
        }
        if (patches.isEmpty())
            return Match::Same;
        if (head.major == 4) {
            QCborArray array = value.toArray();
            for (auto &[index, patch] : patches)
                array[index] = std::move(patch);
            *out = std::move(array);
        } else {
            QCborMap map = value.toMap();
            const QCborMap::iterator begin = map.begin(); // detaches once
            for (auto &[index, patch] : patches) {
                auto entry = *(begin + index / 2);
                entry.second = std::move(patch);
            }
            *out = std::move(map);
        }
        return Match::Patched;
    }

    // The next item of both; `container` holds the template's, at `index`.
    Match item(const QCborValue &container, qsizetype index, QCborValue *patch, int depth)
    {
        Head head;
        Head templateHead;
        const uchar *headEnd = m_pos;
        const uchar *templateHeadEnd = m_tpos;
        if (!readHead(&headEnd, m_end, &head) || !readHead(&templateHeadEnd, m_tend, &templateHead))
            return Match::Different;
        if (isScalar(head.major)) {
            if (!isScalar(templateHead.major))
                return Match::Different;
            const bool same = headEnd - head.begin == templateHeadEnd - templateHead.begin
                && std::memcmp(head.begin, templateHead.begin, size_t(headEnd - head.begin)) == 0;
            m_pos = headEnd;
            m_tpos = templateHeadEnd;
            if (same)
                return Match::Same;
            return scalar(head, patch) ? Match::Patched : Match::Different;
        }
        if (!sameHead(head, headEnd, templateHead, templateHeadEnd))
            return Match::Different;
        m_pos = headEnd;
        m_tpos = templateHeadEnd;
        switch (head.major) {
        case 2: // byte string
        case 3: // text string: the template's was valid UTF-8, so the same bytes are too
            if (head.argument > quint64(m_end - m_pos) || head.argument > quint64(m_tend - m_tpos)
                || std::memcmp(m_pos, m_tpos, size_t(head.argument)) != 0)
                return Match::Different;
            m_pos += head.argument;
            m_tpos += head.argument;
            return Match::Same;
        case 4:
        case 5: {
            const QCborValue inner = element(container, index);
            QCborValue changed;
            const Match match = body(inner, head, &changed, depth + 1);
            if (match == Match::Patched)
                *patch = std::move(changed);
            return match;
        }
        default: // tags
            return Match::Different;
        }
    }

    static QCborValue element(const QCborValue &container, qsizetype index)
    {
        if (container.isArray())
            return container.toArray().at(index);
        const QCborMap map = container.toMap();
        const auto entry = *(map.constBegin() + index / 2);
        return index % 2 ? QCborValue(entry.second) : QCborValue(entry.first);
    }

    static bool isScalar(quint8 major) { return major == 0 || major == 1 || major == 7; }

    static bool sameHead(const Head &a, const uchar *aEnd, const Head &b, const uchar *bEnd)
    {
        return aEnd - a.begin == bEnd - b.begin
            && std::memcmp(a.begin, b.begin, size_t(aEnd - a.begin)) == 0;
    }

    // The initial byte and its argument; false for indefinite lengths, reserved values and
    // input that ends early.
    static bool readHead(const uchar **pos, const uchar *end, Head *head)
    {
        const uchar *p = *pos;
        if (p == end)
            return false;
        head->begin = p;
        const quint8 initial = *p++;
        head->major = initial >> 5;
        head->info = initial & 0x1f;
        if (head->info < 24) {
            head->argument = head->info;
        } else if (head->info <= 27) {
            const int bytes = 1 << (head->info - 24);
            if (end - p < bytes)
                return false;
            quint64 v = 0;
            for (int i = 0; i < bytes; ++i)
                v = (v << 8) | p[i];
            p += bytes;
            head->argument = v;
        } else {
            return false;
        }
        *pos = p;
        return true;
    }

    // A number, boolean or null as fromCbor() decodes it; false for the rest (integers past
    // qint64, which it turns into doubles, half floats, other simple values).
    static bool scalar(const Head &head, QCborValue *out)
    {
        constexpr quint64 Int64Max = quint64(std::numeric_limits<qint64>::max());
        switch (head.major) {
        case 0:
            if (head.argument > Int64Max)
                return false;
            *out = QCborValue(qint64(head.argument));
            return true;
        case 1:
            if (head.argument > Int64Max)
                return false;
            *out = QCborValue(-1 - qint64(head.argument));
            return true;
        default:
            break;
        }
        return MessageDecoder::simpleValue(head.info, head.argument, out);
    }

    const uchar *m_pos;
    const uchar *m_end;
    const uchar *m_tpos;
    const uchar *m_tend;
};

} // namespace

QCborValue TemplateDecoder::decode(const QByteArray &cbor, QCborParserError *error)
{
    if (!m_value.isUndefined() && cbor.size() <= MaxTemplateSize) {
        QCborValue value;
        Match match;
        if (cbor.size() == m_bytes.size()
            && std::memcmp(cbor.constData(), m_bytes.constData(), size_t(cbor.size())) == 0)
            match = Match::Same;
        else
            match = Comparer(cbor, m_bytes).compare(m_value, &value);
        if (match != Match::Different) {
            if (error)
                *error = QCborParserError { 0, QCborError { QCborError::NoError } };
            return match == Match::Same ? m_value : value;
        }
    }
    QCborParserError parseError;
    QCborValue value = MessageDecoder::decode(cbor, &parseError);
    if (parseError.error == QCborError::NoError && cbor.size() <= MaxTemplateSize
        && (value.isMap() || value.isArray())) {
        // Keeps the buffer's capacity from one template to the next.
        m_bytes.resize(cbor.size());
        std::memcpy(m_bytes.data(), cbor.constData(), size_t(cbor.size()));
        m_value = value;
    }
    if (error)
        *error = parseError;
    return value;
}

} // namespace LibCluster::Internal
