if err := op.Run(ops.AddColumn{
Table: "person",
Column: schema.ColumnDef{
Name: "again",
Type: schema.EnumOf("sad", "ok", "great"),
Nullable: true,
},
}); err != nil {
return err
}
if err := op.Run(ops.AlterColumn{
Table: "person",
Column: "mood",
Type: new(schema.EnumOf("sad", "ok", "great")),
Existing: &schema.ColumnDef{
Name: "mood",
Type: schema.EnumOf("sad", "ok"),
Default: schema.Literal("ok"),
},
}); err != nil {
return err
}
return nil
