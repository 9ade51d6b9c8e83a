if err := op.Run(ops.CreateTable{
Table: schema.Table{
Name: "person",
Columns: []schema.ColumnDef{
{Name: "id", Type: schema.BigInt, PrimaryKey: true},
{
Name: "mood",
Type: schema.EnumType("mood"),
Default: schema.Literal("ok"),
},
},
PrimaryKey: &schema.PrimaryKeyDef{Columns: []string{"id"}},
},
}); err != nil {
return err
}
return nil
