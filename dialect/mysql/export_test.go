package mysql

// For the tests of package mysql_test: the parts of the inspector that
// only a MySQL 8 server would exercise, which the tests have not.
var (
	StatisticsQuery = statisticsQuery
	IndexPart       = indexPart
)
