package publish

import (
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/ivz-twente/jeugd/aggregate"
)

// parquetSchema is indicatoren.parquet: the dashboard CSV columns, with
// waarde null where the cell is suppressed or has no figures.
var parquetSchema = func() *arrow.Schema {
	fields := make([]arrow.Field, len(DashboardColumns))
	for i, name := range DashboardColumns {
		fields[i] = arrow.Field{Name: name, Type: arrow.BinaryTypes.String}
	}
	fields[9] = arrow.Field{Name: Columns[9], Type: arrow.PrimitiveTypes.Int64, Nullable: true}
	fields[10] = arrow.Field{Name: Columns[10], Type: arrow.FixedWidthTypes.Boolean}
	fields[11] = arrow.Field{Name: ColGeenGegevens, Type: arrow.FixedWidthTypes.Boolean}
	return arrow.NewSchema(fields, nil)
}()

// rowGroupRows bounds memory: one batch of this many rows is built, written
// as a row group and released before the next.
const rowGroupRows = 64 << 10

// writeParquet writes the cells as indicatoren.parquet with zstd. The file
// holds no timestamp and the default created_by names the library version,
// so the same cells give the same bytes with the same build.
func writeParquet(w io.Writer, cells []aggregate.Cell, mem memory.Allocator) error {
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(mem),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true),
		parquet.WithMaxRowGroupLength(rowGroupRows),
	)
	fw, err := pqarrow.NewFileWriter(parquetSchema, w, props,
		pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem), pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(mem, parquetSchema)
	defer b.Release()
	str := make([]*array.StringBuilder, 9)
	for i := range str {
		str[i] = b.Field(i).(*array.StringBuilder)
	}
	waarde := b.Field(9).(*array.Int64Builder)
	onderdrukt := b.Field(10).(*array.BooleanBuilder)
	geenGegevens := b.Field(11).(*array.BooleanBuilder)

	for start := 0; start < len(cells); start += rowGroupRows {
		end := min(start+rowGroupRows, len(cells))
		b.Reserve(end - start)
		for i := start; i < end; i++ {
			c := &cells[i]
			str[0].Append(c.Indicator)
			str[1].Append(c.Gebiedsniveau)
			str[2].Append(c.Gebiedscode)
			str[3].Append(c.Gebiedsnaam)
			str[4].Append(c.Gemeentecode)
			str[5].Append(c.Periodetype)
			str[6].Append(c.Periode)
			str[7].Append(c.Uitsplitsing)
			str[8].Append(c.Klasse)
			if c.Onderdrukt || c.GeenGegevens {
				waarde.AppendNull()
			} else {
				waarde.Append(c.Waarde)
			}
			onderdrukt.Append(c.Onderdrukt)
			geenGegevens.Append(c.GeenGegevens)
		}
		rec := b.NewRecordBatch()
		err := fw.Write(rec)
		rec.Release()
		if err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}
